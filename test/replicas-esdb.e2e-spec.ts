import { describeReplicas } from './support/replicas.scenario';

describeReplicas('esdb');
