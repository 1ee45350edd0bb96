import { describeReplicas } from './support/replicas.scenario';

// The protocol test server is slower than the SQLite file: fewer orders keep the suite within its time.
describeReplicas('esdb', 40);
