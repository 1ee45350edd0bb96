import { connect } from 'nats';
import { DECISION_SUBJECT } from './approval.workflow';

/**
 * Publishes a decision as a domain event on core NATS — what an approvals UI or a chat bot would
 * do — for the event handler to complete the execution's WAIT with.
 *
 * Usage: `node decide.js <workflowId> approved|rejected <approver>`
 */
async function main(): Promise<void> {
  const [workflowId, decision, approver] = process.argv.slice(2);
  if (!workflowId || (decision !== 'approved' && decision !== 'rejected') || !approver) {
    console.error('usage: node decide.js <workflowId> approved|rejected <approver>');
    process.exit(2);
  }
  const connection = await connect({ servers: process.env.BATON_NATS_URL ?? 'nats://127.0.0.1:4222' });
  connection.publish(DECISION_SUBJECT, JSON.stringify({ workflowId, decision, approver }));
  // flush: the server has the message before the process exits.
  await connection.flush();
  await connection.close();
  console.log(`published ${decision} by ${approver} for ${workflowId} on ${DECISION_SUBJECT}`);
}

void main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
