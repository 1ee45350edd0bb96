/**
 * `npm run demo`: starts Baton on its embedded defaults (SQLite under ./data, local NATS) with the
 * five sample services as separate processes, registers the order flow, pushes a few demo orders
 * through and prints their progress. Keeps running (console at http://127.0.0.1:8080/, API at /api/docs)
 * until Ctrl-C, or exits when the orders are done with `--exit`.
 */
import path from 'node:path';
import { COMPENSATION_WORKFLOW, sampleOrder, ORDER_WORKFLOW } from '@app/samples';
import { ensureNats } from './ensure-nats';
import type { ConductorWorkflow } from '../test/support/baton-api';
import type { ChildHandle } from '../test/support/child-process';
import { OrchestratorStartError, startOrchestrator, startSampleServices, stopAll } from '../test/support/stack';

const args = new Set(process.argv.slice(2));
const orders = Number(process.env.DEMO_ORDERS ?? 6);
const port = Number(process.env.BATON_HTTP_PORT ?? 8080);
const dataDir = path.resolve(process.env.BATON_DATA_DIR ?? 'data');
const TERMINAL = new Set(['COMPLETED', 'FAILED', 'TERMINATED', 'TIMED_OUT']);
const MARK: Record<string, string> = { COMPLETED: '✓', FAILED: '✗', FAILED_WITH_TERMINAL_ERROR: '✗', TIMED_OUT: '⏱', CANCELED: '–', SKIPPED: '↷' };

const say = (line: string) => process.stdout.write(`${line}\n`);

/** What the demo started, stopped again on exit. */
const started: { handles: ChildHandle[]; natsPid?: number } = { handles: [] };

async function shutdown(code: number): Promise<never> {
  say('\nstopping the sample services and the orchestrator…');
  await stopAll(started.handles);
  if (started.natsPid !== undefined) {
    try {
      process.kill(started.natsPid, 'SIGTERM');
      say(`stopped the NATS server the demo started (pid ${started.natsPid})`);
    } catch {
      // already gone
    }
  }
  process.exit(code);
}

async function main(): Promise<void> {
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  say(`Baton demo — data in ${dataDir}, logs in ${path.join(dataDir, 'logs')}`);
  const nats = await ensureNats(undefined, path.join(dataDir, 'nats'));
  started.natsPid = nats.started?.pid;
  say(nats.started
    ? `• NATS: ${nats.url} — nats-server with JetStream started by the demo (pid ${nats.started.pid}, store ${nats.started.storeDir}); stopped when the demo exits`
    : `• NATS: ${nats.url} — a server with JetStream was already answering; the demo uses it and leaves it running`);
  // A process that exits is noticed at once; the bound is for one that never answers (a busy machine is slow to load it).
  const orchestrator = await startOrchestrator({ dataDir, port, name: 'orchestrator', env: { BATON_NATS_URL: nats.url }, timeoutMs: 120_000 }).catch((error: unknown) => {
    // The orchestrator's own one-line reason (a variable and its value), not a guess.
    const reason = error instanceof OrchestratorStartError && error.stderrLine ? error.stderrLine : String(error);
    throw new Error(`the orchestrator did not start: ${reason}${/BATON_HTTP_PORT/.test(reason) ? '\n  set BATON_HTTP_PORT to a free port, e.g. BATON_HTTP_PORT=8081 npm run demo' : ''}\n  its log: ${path.join(dataDir, 'logs', 'orchestrator.log')}`);
  });
  started.handles.push(orchestrator.handle);
  say(`• orchestrator ready at ${orchestrator.api.baseUrl} (pid ${orchestrator.handle.process.pid}; SQLite event store, JetStream messaging)`);
  say(`• web console: ${orchestrator.api.baseUrl}/ (executions, diagrams, history and time travel, operations)`);
  started.handles.push(...(await startSampleServices({ apiUrl: orchestrator.api.baseUrl, logDir: path.join(dataDir, 'logs'), env: { PAYMENT_CONFIRM_DELAY_MS: '300' } })));
  say('• sample services ready: order, inventory, payment (confirms charges asynchronously), shipping, notification');
  await orchestrator.api.registerSampleFlow();
  say(`• registered the task definitions and the "${ORDER_WORKFLOW}" workflow\n`);

  const run = Date.now().toString(36);
  const executions = new Map<string, string>();
  for (let n = 1; n <= orders; n += 1) {
    // Every third order is above the fraud limit and gets rejected; the fifth has no shipping
    // address, so shipping fails for good and the order is compensated (refund, release).
    const order = sampleOrder(n, { rejectEvery: 3, noAddressEvery: 5, prefix: `demo-${run}` });
    const id = await orchestrator.api.startOrderReliably(order);
    executions.set(id, order.orderId);
    say(`▶ ${order.orderId} started (amount ${order.amount}) → execution ${id}`);
  }

  const seen = new Map<string, Set<string>>();
  const ended = new Map<string, ConductorWorkflow>();
  const deadline = Date.now() + 60_000;
  while (ended.size < executions.size && Date.now() < deadline) {
    for (const [id, orderId] of executions) {
      if (ended.has(id)) continue;
      const workflow = await orchestrator.api.workflow(id);
      const printed = seen.get(id) ?? new Set<string>();
      seen.set(id, printed);
      for (const task of workflow.tasks) {
        const key = `${task.taskId}:${task.status}`;
        if (printed.has(key)) continue;
        if (task.referenceTaskName === 'wait_payment_confirmation' && task.status === 'IN_PROGRESS') say(`  ${orderId}  … waiting for the payment confirmation`);
        else if (MARK[task.status]) say(`  ${orderId}  ${MARK[task.status]} ${task.referenceTaskName}${task.status === 'COMPLETED' ? '' : ` ${task.status}`}`);
        else continue;
        printed.add(key);
      }
      if (TERMINAL.has(workflow.status)) {
        ended.set(id, workflow);
        say(`■ ${orderId} ${workflow.status} ${workflow.status === 'COMPLETED' || workflow.status === 'TERMINATED' ? JSON.stringify(workflow.output) : `— ${workflow.reasonForIncompletion ?? ''}`}`);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  for (const [id, orderId] of executions) {
    if (ended.get(id)?.status !== 'FAILED') continue;
    const compensation = await waitForCompensation(orchestrator.api, orderId);
    if (compensation) {
      say(`↺ ${orderId} failed (${ended.get(id)!.tasks.find((task) => task.status === 'FAILED_WITH_TERMINAL_ERROR')?.referenceTaskName ?? 'a task'}); ${COMPENSATION_WORKFLOW} ${compensation.workflowId} ${compensation.status}: ${compensation.tasks.map((task) => `${MARK[task.status] ?? '·'} ${task.referenceTaskName}`).join('  ')}`);
    }
  }

  const byStatus = [...ended.values()].reduce<Record<string, number>>((acc, workflow) => ({ ...acc, [workflow.status]: (acc[workflow.status] ?? 0) + 1 }), {});
  say(`\n${ended.size}/${executions.size} orders done: ${Object.entries(byStatus).map(([status, count]) => `${count} ${status}`).join(', ')}`);
  const [firstId] = executions.keys();
  say(`\nLook at the orders in the console: ${orchestrator.api.baseUrl}/executions/${firstId}`);
  say(`\nTry it:\n  curl ${orchestrator.api.baseUrl}/api/workflow/${firstId}\n  curl ${orchestrator.api.baseUrl}/api/workflow/${firstId}/history\n  open ${orchestrator.api.baseUrl}/api/docs`);
  if (ended.size < executions.size) {
    say(`some orders did not finish within 60 s; see the logs in ${path.join(dataDir, 'logs')}`);
    await shutdown(1);
  }
  if (args.has('--exit')) await shutdown(0);
  say('\nBaton keeps running; press Ctrl-C to stop.');
}

/** The failure workflow Baton started for a failed order (correlated by the order id), once it ended. */
async function waitForCompensation(api: { request(method: string, path: string): Promise<{ json(): unknown }> }, orderId: string): Promise<ConductorWorkflow | undefined> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const found = (await api.request('GET', `/api/workflow/${COMPENSATION_WORKFLOW}/correlated/${orderId}?includeClosed=true&includeTasks=true`)).json() as ConductorWorkflow[];
    if (found[0] && TERMINAL.has(found[0].status)) return found[0];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await shutdown(1);
});
