import { describeOrderFlow } from './support/order-flow.scenario';

describeOrderFlow('sqlite');
