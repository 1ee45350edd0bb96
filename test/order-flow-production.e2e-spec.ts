import { describeOrderFlow } from './support/order-flow.scenario';

// The production combination docker-compose runs: EventStoreDB (here its protocol test server, in
// its own process) as the event store and PostgreSQL for the read models.
describeOrderFlow('esdb', { readModel: 'postgres' });
