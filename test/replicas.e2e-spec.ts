import { describeReplicas } from './support/replicas.scenario';

describeReplicas('sqlite', 200);
