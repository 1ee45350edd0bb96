import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { simple, wait, workflow } from '@app/domain';
import { register, start } from './support/flows';
import { resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';

/**
 * Fuzzes every operation of the orchestrator's OpenAPI document (served by the running process)
 * with generated requests: odd path and query parameters, bodies that are deep, huge, of the
 * wrong type, unicode, null, not JSON, not declared as JSON. The orchestrator must answer each
 * without a 5xx, stay alive with a bounded RSS, and requests it rejects (4xx) must change nothing.
 */

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  readonly hasBody: boolean;
}

interface FuzzRequest {
  readonly method: string;
  readonly url: string;
  readonly body?: string;
  readonly contentType?: string;
}

interface Answer {
  readonly request: FuzzRequest;
  readonly status: number;
  readonly text?: string;
}

const REQUESTS = 1_200;
const PARALLEL = 8;
/** An answer slower than this is a hang (the longest legitimate wait a generated request can ask for is 5 s). */
const ANSWER_TIMEOUT_MS = 20_000;
const RSS_GROWTH_BOUND_MB = 120;

const weird = [
  '', ' ', '0', '-1', '1e999', 'NaN', 'null', 'undefined', 'true', '__proto__', 'constructor', 'prototype', '..', '../..', '%', '%00',
  '%E0%A4%A', '%FF', '😀', 'ü', '\u0000', '\u202e', "'; DROP TABLE executions; --", '<script>', '${1+1}', '*', '>', 'a.b', 'x'.repeat(300),
  '9'.repeat(40), 'COMPLETED', 'IN_PROGRESS', 'FAILED_WITH_TERMINAL_ERROR',
];

/** Bodies a client should not send, as raw text. */
function rawBody(existing: readonly string[]): fc.Arbitrary<string> {
  const deep = fc.integer({ min: 100, max: 20_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);
  const deepObject = fc.integer({ min: 100, max: 20_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
  const huge = fc.integer({ min: 200_000, max: 300_000 }).map((size) => JSON.stringify({ name: 'x'.repeat(size) }));
  const wideArray = fc.integer({ min: 500, max: 3_000 }).map((size) => JSON.stringify(Array.from({ length: size }, (_, i) => ({ name: `n${i}` }))));
  const notJson = fc.constantFrom('{', '{"a":', 'nul', "{'a': 1}", '[1,]', '\u0000', '{"a":1}{"b":2}', '{"__proto__": {"polluted": true}}', '"', '1e99999');
  const definitionLike = fc
    .record(
      {
        name: fc.oneof(fc.constantFrom('fuzz_flow', 'fuzz_task', ...weird), fc.string()),
        version: fc.oneof(fc.integer(), fc.constant(null), fc.string()),
        schemaVersion: fc.oneof(fc.constant(2), fc.jsonValue()),
        tasks: fc.oneof(
          fc.array(
            fc.record(
              {
                name: fc.oneof(fc.constantFrom('fuzz_task', ...weird), fc.jsonValue()),
                taskReferenceName: fc.oneof(fc.constantFrom('a', 'b', ...weird), fc.jsonValue()),
                type: fc.oneof(
                  fc.constantFrom('SIMPLE', 'WAIT', 'SWITCH', 'FORK_JOIN', 'JOIN', 'DO_WHILE', 'INLINE', 'SUB_WORKFLOW', 'EVENT', 'TERMINATE', 'SET_VARIABLE', 'HTTP', 'DYNAMIC'),
                  fc.jsonValue(),
                ),
                inputParameters: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue()),
                expression: fc.string(),
                evaluatorType: fc.constantFrom('javascript', 'graaljs', 'value-param', 'x'),
                decisionCases: fc.jsonValue(),
                loopCondition: fc.string(),
                forkTasks: fc.jsonValue(),
              },
              { requiredKeys: ['name', 'taskReferenceName', 'type'] },
            ),
            { maxLength: 4 },
          ),
          fc.jsonValue(),
        ),
        inputParameters: fc.jsonValue(),
        timeoutSeconds: fc.oneof(fc.integer(), fc.double(), fc.string()),
        retryCount: fc.oneof(fc.integer(), fc.string()),
        workflowIds: fc.array(fc.constantFrom(...existing, ...weird), { maxLength: 3 }),
        event: fc.oneof(fc.constantFrom('nats:x', 'jsm:BATON_EXECUTIONS:baton.execution.>', ...weird), fc.jsonValue()),
        actions: fc.jsonValue(),
        condition: fc.string(),
        active: fc.jsonValue(),
        output: fc.jsonValue(),
        outputData: fc.jsonValue(),
        status: fc.constantFrom('COMPLETED', 'FAILED', 'IN_PROGRESS', 'x', ...weird),
        taskId: fc.constantFrom(...existing, ...weird),
        workflowInstanceId: fc.constantFrom(...existing, ...weird),
        reasonForIncompletion: fc.string(),
        logs: fc.jsonValue(),
        workerId: fc.jsonValue(),
      },
      { requiredKeys: [] },
    )
    .chain((record) => fc.oneof(fc.constant(record), fc.constant([record]), fc.constant([record, record])))
    .map((value) => JSON.stringify(value));
  return fc.oneof(
    { weight: 4, arbitrary: definitionLike },
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 5 }).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((value) => JSON.stringify({ input: value, name: value })) },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: deepObject },
    { weight: 1, arbitrary: huge },
    { weight: 1, arbitrary: wideArray },
    { weight: 1, arbitrary: notJson },
    { weight: 1, arbitrary: fc.constantFrom('', 'null', '[]', '{}', '""', '0', 'true') },
  );
}

function requestArbitrary(operations: readonly Operation[], baseUrl: string, existing: readonly string[]): fc.Arbitrary<FuzzRequest> {
  const known = ['fuzz_flow', 'fuzz_task', 'wait_here', '1', ...existing];
  const value = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    { weight: 3, arbitrary: fc.constantFrom(...weird) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String) },
    { weight: 1, arbitrary: fc.constantFrom('-5', '0', '1', '5', '100000', '1.5', '2026-12-03T00:00:00Z', 'createdAt:ASC', 'x:DESC') },
  );
  // A raw path value keeps its percent signs as they are: invalid encodings must be a 400, not a crash.
  const pathValue = fc.tuple(value, fc.boolean()).map(([text, raw]) => (raw && /^[\x21-\x7e]+$/.test(text) && !text.includes('/') && !text.includes('?') && !text.includes('#') ? text : encodeURIComponent(text)));
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data; boundary=x', 'application/xml') },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  return fc.constantFrom(...operations).chain((operation) =>
    fc
      .record({
        pathValues: fc.tuple(...operation.pathParams.map(() => pathValue)),
        query: fc.subarray([...operation.queryParams, 'unknown', '__proto__']).chain((names) => fc.tuple(...names.map((name) => value.map((v) => [name, v] as const)))),
        body: operation.hasBody || operation.method !== 'GET' ? fc.option(rawBody(existing), { freq: 6 }) : fc.constant(null),
        contentType,
      })
      .map(({ pathValues, query, body, contentType: type }) => {
        let path = operation.path;
        operation.pathParams.forEach((name, i) => (path = path.replace(`{${name}}`, pathValues[i] ?? '')));
        const search = query.length > 0 ? `?${query.map(([name, v]) => `${encodeURIComponent(name)}=${encodeURIComponent(v)}`).join('&')}` : '';
        return { method: operation.method, url: `${baseUrl}${path}${search}`, ...(body !== null ? { body, ...(type ? { contentType: type } : {}) } : {}) };
      }),
  );
}

async function send(request: FuzzRequest): Promise<Answer> {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.contentType ? { 'content-type': request.contentType } : {},
    ...(request.body !== undefined ? { body: request.body } : {}),
    signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
  }).catch((error: unknown) => ({ error }));
  if ('error' in response) return { request, status: 0, text: String(response.error) };
  // Only failures need their body; a streaming answer (GET /api/live) must not be read to its end.
  if (response.status >= 500) return { request, status: response.status, text: await response.text() };
  await response.body?.cancel();
  return { request, status: response.status };
}

async function sendAll(requests: readonly FuzzRequest[]): Promise<Answer[]> {
  const answers: Answer[] = new Array(requests.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < requests.length) {
        const index = next++;
        answers[index] = await send(requests[index]!);
      }
    }),
  );
  return answers;
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('VmRSS:'))!;
  return Number(/(\d+)/.exec(line)![1]) / 1024;
}

const describe5xx = (answers: readonly Answer[], seed: number): string =>
  answers.length === 0
    ? ''
    : `FUZZ_SEED=${seed} reproduces these:\n` +
      answers
    .slice(0, 10)
    .map((answer) => `${answer.request.method} ${answer.request.url.slice(0, 200)} [${answer.request.contentType ?? '-'}] body ${answer.request.body?.slice(0, 120) ?? '-'} → ${answer.status} ${answer.text?.slice(0, 300) ?? ''}`)
    .join('\n');

describe('OpenAPI fuzz: every operation, thousands of generated requests', () => {
  let orchestrator: OrchestratorProcess;
  let existing: string[];

  beforeAll(async () => {
    await resetBatonStreams();
    orchestrator = await startOrchestrator({ dataDir: tempDir('openapi-fuzz'), env: { BATON_CONSOLE_DIR: 'off', BATON_LOG_LEVEL: 'warn' } });
    await register(
      orchestrator.api,
      [{ name: 'fuzz_task', retryCount: 0 }],
      [workflow('fuzz_flow').tasks(simple('fuzz_task', 'a'), simple('fuzz_task', 'b')).build(), workflow('wait_here').tasks(wait('w')).build()],
    );
    existing = [await start(orchestrator.api, 'fuzz_flow'), await start(orchestrator.api, 'wait_here'), await start(orchestrator.api, 'fuzz_flow', { n: 1 })];
  });

  afterAll(async () => {
    await stopAll([orchestrator?.handle]);
  });

  /** What the API shows of its state: definitions, task definitions, event handlers, executions and their histories' lengths. */
  async function snapshot(): Promise<string> {
    const get = async (path: string): Promise<unknown> => (await orchestrator.api.request('GET', path)).json();
    const executions = (await get('/api/executions?size=1000&sort=createdAt:ASC')) as { results: { executionId: string; status: string }[] };
    const histories = await Promise.all(
      executions.results.map(async (execution) => [execution.executionId, execution.status, ((await get(`/api/workflow/${execution.executionId}/history`)) as unknown[]).length]),
    );
    return JSON.stringify({ workflows: await get('/api/metadata/workflow'), taskDefs: await get('/api/metadata/taskdefs'), handlers: await get('/api/event'), histories });
  }

  it('answers every generated request below 500, stays alive with a bounded RSS, and rejected requests change no state', async () => {
    const started = Date.now();
    const document = (await orchestrator.api.request('GET', '/api/docs-json')).json() as {
      paths: Record<string, Record<string, { parameters?: { in: string; name: string }[]; requestBody?: unknown }>>;
    };
    const operations: Operation[] = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        pathParams: (operation.parameters ?? []).filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name),
        queryParams: (operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
        hasBody: operation.requestBody !== undefined,
      })),
    );
    expect(operations.length).toBeGreaterThan(50);

    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
    const requests = fc.sample(requestArbitrary(operations, orchestrator.api.baseUrl, existing), { numRuns: REQUESTS, seed });
    // Every operation is exercised, not just the ones the generator happens to like.
    for (const operation of operations) {
      const pattern = new RegExp(`^${operation.path.replace(/\{[^}]+\}/g, '[^/?]*')}(\\?|$)`);
      if (!requests.some((request) => request.method === operation.method && pattern.test(request.url.slice(orchestrator.api.baseUrl.length)))) {
        requests.push(...fc.sample(requestArbitrary([operation], orchestrator.api.baseUrl, existing), { numRuns: 5 }));
      }
    }
    const pid = orchestrator.handle.process.pid!;
    await sendAll(requests.slice(0, 200));
    const rssBefore = rssMb(pid);

    const answers = await sendAll(requests);

    const failures = answers.filter((answer) => answer.status >= 500 || answer.status === 0);
    expect(describe5xx(failures, seed)).toBe('');
    expect(orchestrator.handle.running).toBe(true);
    expect(await orchestrator.api.healthy()).toBe(true);
    const rssAfter = rssMb(pid);
    expect(rssAfter - rssBefore).toBeLessThan(RSS_GROWTH_BOUND_MB);

    // State unchanged by rejected requests: replay the rejected ones against a snapshot. One that
    // is accepted this time (the state it depended on changed) is left out, and the rest replayed
    // again, until a round rejects everything it sends.
    let rejected = answers.filter((answer) => answer.status >= 400 && answer.status < 500).map((answer) => answer.request);
    expect(rejected.length).toBeGreaterThan(REQUESTS / 4);
    for (let round = 0; ; round++) {
      const before = await snapshot();
      const replayed = await sendAll(rejected);
      expect(describe5xx(replayed.filter((answer) => answer.status >= 500 || answer.status === 0), seed)).toBe('');
      const stillRejected = replayed.filter((answer) => answer.status >= 400 && answer.status < 500).map((answer) => answer.request);
      if (stillRejected.length === rejected.length) {
        expect(await snapshot()).toBe(before);
        break;
      }
      expect(round).toBeLessThan(3);
      rejected = stillRejected;
    }
    console.log(`openapi fuzz (FUZZ_SEED=${seed}): ${answers.length} requests over ${operations.length} operations, ${rejected.length} rejected replayed, RSS ${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} MB, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
});
