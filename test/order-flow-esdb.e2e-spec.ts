import { describeOrderFlow } from './support/order-flow.scenario';

// The orchestrator on the esdb adapter, over gRPC to the EventStoreDB test server in its own process.
describeOrderFlow('esdb');
