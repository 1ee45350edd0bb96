/**
 * Registers the sample flows (the order-fulfilment and order-compensation workflows and their task
 * definitions) with an orchestrator: docker-compose's one-shot `register-flows` service runs it
 * once the orchestrators are healthy. Registering replaces what is there, so it may run on every
 * `up`. `BATON_URL` (default http://127.0.0.1:8080), `BATON_TOKEN` (optional bearer token).
 *
 *   node dist/scripts/register-samples.js
 */
import { BatonClient } from '@app/client';
import { orderCompensationWorkflow, orderFulfilmentWorkflow, orderTaskDefs } from '@app/samples';

async function main(): Promise<void> {
  const url = process.env.BATON_URL || 'http://127.0.0.1:8080';
  const baton = new BatonClient({ url, token: process.env.BATON_TOKEN || undefined, clientName: 'register-samples' });
  await baton.putTaskDefs(orderTaskDefs);
  // The compensation flow first: the fulfilment flow names it as its failure workflow.
  await baton.putWorkflows([orderCompensationWorkflow, orderFulfilmentWorkflow]);
  console.log(`registered ${orderTaskDefs.length} task definitions and the ${orderFulfilmentWorkflow.name} and ${orderCompensationWorkflow.name} workflows at ${url}`);
}

main().catch((error: unknown) => {
  console.error(`register-samples: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
