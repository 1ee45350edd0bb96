import path from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { DLQ_SUBJECT_PREFIX, Headers, resultSubject } from '@app/messaging';
import type { ChildHandle } from './support/child-process';
import { startOrders, verifyOrders, waitForAllEnded } from './support/order-run';
import { NATS_URL, resetBatonStreams, startOrchestrator, startSampleServices, stopAll, tempDir, type OrchestratorProcess } from './support/stack';
import { waitFor } from '@app/testing/wait-for';

const MAX_PAYLOAD_BYTES = 16 * 1024;
const encoder = new TextEncoder();

interface DeadLetter {
  readonly originMsgId: string;
  readonly reason: string;
  readonly code: string;
  readonly subject: string;
}

describe('malformed and invalid results are dead-lettered, and the orchestrator keeps serving', () => {
  let dir: string;
  let orchestrator: OrchestratorProcess;
  let services: ChildHandle[] = [];
  let nc: NatsConnection;

  beforeAll(async () => {
    await resetBatonStreams();
    dir = tempDir('dead-letter');
    orchestrator = await startOrchestrator({ dataDir: dir, env: { BATON_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES) } });
    services = await startSampleServices({ apiUrl: orchestrator.api.baseUrl, logDir: path.join(dir, 'logs') });
    await orchestrator.api.registerSampleFlow();
    nc = await connect({ servers: NATS_URL });
  });

  afterAll(async () => {
    await nc?.close();
    await stopAll([...services, orchestrator?.handle]);
  });

  it('given orders in flight, when 1,000 bad results arrive (not JSON, wrong types, missing fields, unknown ids, oversize), then each is dead-lettered once with its reason and every order completes', async () => {
    const letters = new Map<string, DeadLetter>();
    const subscription = nc.subscribe(`${DLQ_SUBJECT_PREFIX}>`, {
      callback: (error, message) => {
        if (error) return;
        const originMsgId = message.headers?.get(Headers.DlqOriginMsgId) ?? '';
        letters.set(originMsgId, {
          originMsgId,
          reason: message.headers?.get(Headers.DlqReason) ?? '',
          code: message.headers?.get(Headers.DlqCode) ?? '',
          subject: message.subject,
        });
      },
    });
    await nc.flush();

    const inFlight = startOrders(orchestrator.api, 50, { parallel: 5 });
    const realExecution = await orchestrator.api.startOrder({ orderId: 'anchor', customer: { id: 'c', email: 'a@example.com', address: 'x' }, items: [{ sku: 'A', quantity: 1, price: 1 }], amount: 1 });

    const bad: { kind: string; body: Uint8Array; expectedCode: RegExp }[] = [];
    for (let i = 0; i < 200; i += 1) {
      bad.push({ kind: 'not-json', body: encoder.encode(`{not json ${i}`), expectedCode: /DECODE_FAILED/ });
      bad.push({
        kind: 'wrong-types',
        body: encoder.encode(JSON.stringify({ taskId: i, executionId: true, attempt: 'first', status: 'DONE', workerId: '' })),
        expectedCode: /VALIDATION_FAILED/,
      });
      bad.push({ kind: 'missing-fields', body: encoder.encode(JSON.stringify({ status: 'COMPLETED', n: i })), expectedCode: /VALIDATION_FAILED/ });
      const unknownExecution = i % 2 === 0;
      bad.push({
        kind: unknownExecution ? 'unknown-execution' : 'unknown-task',
        body: encoder.encode(
          JSON.stringify({ taskId: `no-such-task-${i}`, executionId: unknownExecution ? `no-such-execution-${i}` : realExecution, attempt: 1, status: 'COMPLETED', workerId: 'rogue' }),
        ),
        expectedCode: unknownExecution ? /UNKNOWN_EXECUTION/ : /UNKNOWN_TASK/,
      });
      bad.push({ kind: 'oversize', body: encoder.encode(JSON.stringify({ padding: 'x'.repeat(MAX_PAYLOAD_BYTES + 1), i })), expectedCode: /PAYLOAD_TOO_LARGE/ });
    }
    const js = nc.jetstream();
    await Promise.all(bad.map((message, i) => js.publish(resultSubject('validate_order'), message.body, { msgID: `bad-${message.kind}-${i}` })));

    await waitFor('1,000 dead letters', () => letters.size >= 1_000, { timeoutMs: 60_000 });
    subscription.unsubscribe();

    const expectedIds = new Set(bad.map((message, i) => `bad-${message.kind}-${i}`));
    expect([...letters.values()].filter((letter) => !expectedIds.has(letter.originMsgId))).toEqual([]);
    expect(letters.size).toBe(1_000);
    bad.forEach((message, i) => {
      const letter = letters.get(`bad-${message.kind}-${i}`);
      expect(letter).toBeDefined();
      expect(letter!.subject).toBe(`${DLQ_SUBJECT_PREFIX}${resultSubject('validate_order')}`);
      expect(letter!.code).toMatch(message.expectedCode);
      expect(letter!.reason.length).toBeGreaterThan(5);
    });
    const wrongTypes = letters.get('bad-wrong-types-1')!.reason;
    expect(wrongTypes).toMatch(/taskId/);
    expect(wrongTypes).toMatch(/status/);

    expect(await orchestrator.api.healthy()).toBe(true);
    const ids = await inFlight;
    const ended = await waitForAllEnded(orchestrator.api, ids.values());
    expect(await verifyOrders(orchestrator.api, ids, ended)).toEqual([]);
    expect(orchestrator.handle.running).toBe(true);
  });
});
