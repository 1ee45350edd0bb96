import { randomUUID } from 'node:crypto';
import { connect, headers as natsHeaders, type NatsConnection } from 'nats';
import { DLQ_SUBJECT_PREFIX, Headers, resultSubject, taskSubject } from '@app/messaging';
import { expectError } from './support/http-expect';
import { NATS_URL, resetBatonStreams, startOrchestrator, tempDir, type OrchestratorProcess } from './support/stack';
import { waitFor } from '@app/testing/wait-for';

/*
 * Issue 7 (defects 4 and 7) and issue 8's content type, end to end: every inbound path decodes
 * JSON with the one bounded decoder, so a document nested too deep is a validation error (HTTP
 * 400, dead letter VALIDATION_FAILED on its first delivery), never a 500 "retryable", a retry loop
 * or a dead process; and request bodies must be application/json (415 otherwise).
 */

type Json = Record<string, unknown>;
const HOLD = 'limits_hold';
const holdDef = { name: HOLD, version: 1, schemaVersion: 2, tasks: [{ name: 'hold', taskReferenceName: 'hold', type: 'WAIT', inputParameters: {} }] };
const deepArrays = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

/** A SWITCH whose default case holds a SWITCH, `levels` deep: built iteratively, JSON text of ~100 kB. */
function nestedSwitchDefinition(levels: number): Json {
  let task: Json = { name: 'leaf', taskReferenceName: 'leaf', type: 'WAIT', inputParameters: {} };
  for (let level = levels; level >= 1; level--) {
    task = { name: `s${level}`, taskReferenceName: `s${level}`, type: 'SWITCH', evaluatorType: 'value-param', expression: 'k', inputParameters: { k: 'x' }, decisionCases: { x: [task] } };
  }
  return { name: 'limits_deep_switch', version: 1, schemaVersion: 2, tasks: [task] };
}

interface Letter {
  readonly code: string;
  readonly reason: string;
  readonly deliveries: string;
  readonly originMsgId: string;
  readonly originSubject: string;
}

describe('inbound JSON limits and content types (orchestrator process, real NATS)', () => {
  let orchestrator: OrchestratorProcess;
  let nc: NatsConnection;
  const letters: Letter[] = [];

  beforeAll(async () => {
    await resetBatonStreams();
    orchestrator = await startOrchestrator({ dataDir: tempDir('inbound-limits'), name: 'inbound-limits' });
    await orchestrator.api.expectOk('PUT', '/api/metadata/workflow', [holdDef]);
    nc = await connect({ servers: NATS_URL });
    nc.subscribe(`${DLQ_SUBJECT_PREFIX}>`, {
      callback: (error, message) => {
        if (error) return;
        const get = (name: string) => message.headers?.get(name) ?? '';
        letters.push({ code: get(Headers.DlqCode), reason: get(Headers.DlqReason), deliveries: get(Headers.DlqDeliveries), originMsgId: get(Headers.DlqOriginMsgId), originSubject: get(Headers.DlqOriginSubject) });
      },
    });
    await nc.flush();
  });

  afterAll(async () => {
    await nc?.close();
    await orchestrator?.handle.stop();
  });

  const request = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => orchestrator.api.request(method, path, body, headers);
  const runningHolds = async (): Promise<unknown[]> => (await request('GET', `/api/workflow/running/${HOLD}`)).json() as unknown[];

  it('given a start body nested 10,000 levels deep, when posted, then 400 VALIDATION_FAILED naming maxDepth and its path (not 500 retryable), and the process serves on', async () => {
    const response = await request('POST', `/api/workflow/${HOLD}`, `{"order":${deepArrays(10_000)}}`);
    const body = expectError(response, 400, 'VALIDATION_FAILED');
    expect(body.message).toMatch(/nested deeper than 128 levels at order\[0\].*\(maxDepth\)/);
    expect(body.validationErrors).toEqual([{ path: expect.stringMatching(/^order\[0\]\[0\]/), message: expect.stringMatching(/maxDepth/) }]);
    const update = await request('POST', '/api/tasks', `{"taskId":"t","workflowInstanceId":"w","status":"COMPLETED","outputData":${deepArrays(10_000)}}`);
    expectError(update, 400, 'VALIDATION_FAILED');
    expect(orchestrator.handle.running).toBe(true);
    expect(await runningHolds()).toEqual([]);
  });

  it('given a definition of 1,000 nested SWITCH tasks, when registered, then 400 VALIDATION_FAILED with the path where the nesting crossed the limit', async () => {
    const response = await request('POST', '/api/metadata/workflow', nestedSwitchDefinition(1_000));
    const body = expectError(response, 400, 'VALIDATION_FAILED');
    expect(body.validationErrors?.[0]?.path).toMatch(/^tasks\[0\]\.decisionCases\.x\[0\]\.decisionCases\.x\[0\]/);
    expect(body.message).toMatch(/maxDepth/);
    expect(orchestrator.handle.running).toBe(true);
  });

  it('given documents just within the depth limit (a 40-level SWITCH, an input nested 120 levels), when registered and started, then they are accepted: every recursive step (validation, expressions, hash chain) copes with what the decoder lets through', async () => {
    const definition = { ...nestedSwitchDefinition(40), name: 'limits_within_depth' };
    const registered = await request('POST', '/api/metadata/workflow', definition);
    expect({ status: registered.status, text: registered.text }).toEqual({ status: 200, text: '' });
    const started = await request('POST', '/api/workflow/limits_within_depth', `{"deep":${deepArrays(120)}}`);
    expect(started.status).toBe(200);
    const history = await request('GET', `/api/workflow/${started.text}/history`);
    expect(history.status).toBe(200);
    const verified = await request('GET', `/api/workflow/${started.text}/verify`);
    expect(verified.status).toBe(200);
    await request('DELETE', `/api/workflow/${started.text}?reason=cleanup`);
  });

  it('given a start body that is not application/json (curl -d, text/plain), when posted, then 415 UNSUPPORTED_MEDIA_TYPE naming the type, and no execution starts', async () => {
    const form = await request('POST', `/api/workflow/${HOLD}`, 'orderId=1&amount=5', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(expectError(form, 415, 'UNSUPPORTED_MEDIA_TYPE').message).toContain('application/x-www-form-urlencoded');
    const text = await request('POST', `/api/workflow/${HOLD}`, '{"orderId":"1"}', { 'content-type': 'text/plain' });
    expect(expectError(text, 415, 'UNSUPPORTED_MEDIA_TYPE').message).toContain('text/plain');
    const definitionAsText = await request('POST', '/api/metadata/workflow', JSON.stringify({ ...holdDef, name: 'limits_as_text' }), { 'content-type': 'text/plain' });
    expectError(definitionAsText, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(await runningHolds()).toEqual([]);
    expect((await request('GET', '/api/metadata/workflow/limits_as_text')).status).toBe(404);
    // The same start as JSON is accepted: the refusal was the media type, nothing else.
    const json = await request('POST', `/api/workflow/${HOLD}`, { orderId: '1' });
    expect(json.status).toBe(200);
    await request('DELETE', `/api/workflow/${json.text}?reason=cleanup`);
  });

  it('given a result nested 10,000 levels deep on NATS, when consumed, then it is dead-lettered VALIDATION_FAILED on its first delivery (not retried to MAX_DELIVERIES_EXCEEDED)', async () => {
    const msgId = randomUUID();
    const h = natsHeaders();
    await nc.jetstream().publish(resultSubject('limits_task'), new TextEncoder().encode(`{"taskId":"t","executionId":"e","attempt":1,"status":"COMPLETED","output":${deepArrays(10_000)}}`), { msgID: msgId, headers: h });
    const letter = await waitFor('the deep result dead-lettered', () => letters.find((l) => l.originMsgId === msgId), { timeoutMs: 15_000 });
    expect(letter).toMatchObject({ code: 'VALIDATION_FAILED', deliveries: '1', reason: expect.stringMatching(/nested deeper than 128 levels at output.*maxDepth/) });
  });

  it('given ten task commands nested 10,000 levels deep on baton.task.T, when an HTTP worker polls T, then the poll answers normally, each command is dead-lettered with the reason once, and the process stays up', async () => {
    const type = 'limits_poison';
    const ids: string[] = Array.from({ length: 10 }, () => randomUUID());
    for (const id of ids) {
      await nc.jetstream().publish(taskSubject(type), new TextEncoder().encode(`{"taskId":"${id}","executionId":"e","taskType":"${type}","attempt":1,"input":${deepArrays(10_000)}}`), { msgID: id });
    }
    const poll = await request('GET', `/api/tasks/poll/batch/${type}?count=10&timeout=1000&workerid=w1`);
    expect({ status: poll.status, body: poll.json() }).toEqual({ status: 200, body: [] });
    const poisoned = await waitFor('the ten commands dead-lettered', () => {
      const found = letters.filter((l) => ids.includes(l.originMsgId));
      return found.length >= 10 ? found : undefined;
    }, { timeoutMs: 15_000 });
    expect(poisoned).toHaveLength(10);
    for (const letter of poisoned) expect(letter).toMatchObject({ code: 'VALIDATION_FAILED', deliveries: '1', originSubject: taskSubject(type), reason: expect.stringMatching(/maxDepth/) });
    const again = await request('GET', `/api/tasks/poll/batch/${type}?count=10&timeout=0`);
    expect({ status: again.status, body: again.json() }).toEqual({ status: 200, body: [] });
    expect(orchestrator.handle.running).toBe(true);
    expect(await orchestrator.api.healthy()).toBe(true);
  });
});
