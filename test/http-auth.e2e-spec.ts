import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetadataClient, noopLogger, orkesConductorClient, WorkflowExecutor } from '@io-orkes/conductor-javascript';
import { tokenHash } from '../apps/orchestrator/src/auth/api-tokens';
import { runBaton } from './support/baton-cli';
import { startNode } from './support/child-process';
import { expectError } from './support/http-expect';
import { freePort, NATS_URL, resetBatonStreams, startOrchestrator, tempDir, type OrchestratorProcess } from './support/stack';
import { waitFor } from '@app/testing/wait-for';

/*
 * The HTTP API with API tokens (docs/security.md), end to end: the real orchestrator process with
 * a token per role, real NATS, SQLite. Who may call what (401 and 403 bodies), worker tokens kept
 * to their task types, the authenticated principal as the actor in the history (never the
 * x-baton-client header), and the secure default: no tokens on a network address, no start.
 */

type Json = Record<string, unknown>;

const TOKENS = {
  admin: 'tok-admin-0f3c9a',
  operator: 'tok-operator-77d1e2',
  auditor: 'tok-auditor-5b8e04',
  reader: 'tok-reader-c2a6f1',
  worker: 'tok-worker-9e4d3b',
} as const;
type Who = keyof typeof TOKENS | 'nobody';

const ALLOWED = 'auth_allowed_task';
const OTHER = 'auth_other_task';
const FLOW_ALLOWED = 'auth_flow_allowed';
const FLOW_OTHER = 'auth_flow_other';
const HOLD = 'auth_hold';

const tokenFile = (dir: string, made: Json): string => {
  const file = `${dir}/tokens.yaml`;
  const entries = [
    made,
    { name: 'alice', sha256: tokenHash(TOKENS.admin), roles: ['admin'] },
    { name: 'olga', sha256: tokenHash(TOKENS.operator), roles: ['operator'] },
    { name: 'audrey', sha256: tokenHash(TOKENS.auditor), roles: ['auditor'] },
    { name: 'rita', sha256: tokenHash(TOKENS.reader), roles: ['reader'] },
    { name: 'allowed-worker', sha256: tokenHash(TOKENS.worker), roles: ['worker'], taskTypes: [ALLOWED] },
  ];
  writeFileSync(file, entries.map((entry) => `- ${JSON.stringify(entry)}`).join('\n'));
  return file;
};

const simpleFlow = (name: string, task: string): Json => ({ name, version: 1, schemaVersion: 2, tasks: [{ name: task, taskReferenceName: 'work', type: 'SIMPLE', inputParameters: {} }] });
const holdFlow: Json = { name: HOLD, version: 1, schemaVersion: 2, tasks: [{ name: 'hold', taskReferenceName: 'hold', type: 'WAIT', inputParameters: {} }] };

describe('HTTP API with API tokens: roles, 401/403, actor = principal, secure default (orchestrator process)', () => {
  let orchestrator: OrchestratorProcess;
  let dataDir: string;
  /** A token made with `baton auth token` (the operator's way), granting auditor. */
  let cliMade: string;

  const call = (who: Who, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    orchestrator.api.request(method, path, body, who === 'nobody' ? headers : { authorization: `Bearer ${TOKENS[who]}`, ...headers });

  const start = async (who: Who, name: string, headers: Record<string, string> = {}): Promise<string> => {
    const response = await call(who, 'POST', `/api/workflow/${name}`, {}, headers);
    expect(response.status).toBe(200);
    return response.text;
  };

  const history = async (id: string) => (await call('auditor', 'GET', `/api/workflow/${id}/history`)).json() as { type: string; data: Json; metadata: Json }[];

  beforeAll(async () => {
    await resetBatonStreams();
    dataDir = tempDir('http-auth');
    const made = await runBaton(['auth', 'token', '--name', 'cli-made', '--roles', 'auditor', '--json']);
    expect(made.code).toBe(0);
    const { token, entry } = made.json<{ token: string; entry: Json }>();
    expect(entry).toEqual({ name: 'cli-made', sha256: tokenHash(token), roles: ['auditor'] });
    cliMade = token;
    orchestrator = await startOrchestrator({ dataDir, name: 'http-auth', env: { BATON_AUTH_TOKENS_FILE: tokenFile(dataDir, entry) } });
    for (const [path, body] of [
      ['/api/metadata/taskdefs', [{ name: ALLOWED }, { name: OTHER }]],
      ['/api/metadata/workflow', simpleFlow(FLOW_ALLOWED, ALLOWED)],
      ['/api/metadata/workflow', simpleFlow(FLOW_OTHER, OTHER)],
      ['/api/metadata/workflow', holdFlow],
    ] as const) {
      const response = await call('admin', 'POST', path, body);
      expect({ path, status: response.status, text: response.text }).toEqual({ path, status: 200, text: '' });
    }
  });

  afterAll(async () => {
    await orchestrator?.handle.stop();
  });

  it('given no or a wrong token, then 401 UNAUTHENTICATED with a Bearer challenge; /health stays open', async () => {
    const none = await call('nobody', 'GET', '/api/metadata/workflow');
    expect(expectError(none, 401, 'UNAUTHENTICATED').message).toBe('no credentials: send Authorization: Bearer <token>');
    const wrong = await call('nobody', 'GET', '/api/metadata/workflow', undefined, { authorization: 'Bearer not-a-configured-token' });
    expect(expectError(wrong, 401, 'UNAUTHENTICATED').message).toBe('the token is not valid (unknown, revoked or malformed)');
    // A token's hash is not a token.
    expectError(await call('nobody', 'GET', '/api/metadata/workflow', undefined, { authorization: `Bearer ${tokenHash(TOKENS.admin)}` }), 401, 'UNAUTHENTICATED');
    expectError(await call('nobody', 'GET', '/api/live'), 401, 'UNAUTHENTICATED');
    expectError(await call('nobody', 'GET', '/metrics'), 401, 'UNAUTHENTICATED');
    expect((await call('nobody', 'GET', '/health')).status).toBe(200);
  });

  it("accepts Conductor's X-Authorization header as well as Authorization: Bearer", async () => {
    expect((await call('nobody', 'GET', '/api/metadata/workflow', undefined, { 'x-authorization': TOKENS.reader })).status).toBe(200);
  });

  it.each<[Who, string, string, number | string]>([
    // reader: executions, definitions, search
    ['reader', 'GET', '/api/metadata/workflow', 200],
    ['reader', 'GET', '/api/workflow/search?query=status=RUNNING', 200],
    ['reader', 'GET', '/api/executions', 200],
    ['reader', 'POST', `/api/workflow/${HOLD}`, 'requires role operator'],
    ['reader', 'GET', '/api/workflow/<hold>/history', 'requires role auditor'],
    ['reader', 'GET', '/api/reports/tasks', 'requires role auditor'],
    ['reader', 'POST', '/api/metadata/workflow?overwrite=true', 'requires role admin'],
    ['reader', 'GET', `/api/tasks/poll/${ALLOWED}`, 'requires role worker'],
    // operator: starts and controls; reads like a reader; no definitions, no audit
    ['operator', 'POST', `/api/workflow/${HOLD}`, 200],
    ['operator', 'PUT', '/api/workflow/<hold>/pause', 200],
    ['operator', 'GET', '/api/workflow/<hold>', 200],
    ['operator', 'GET', '/api/workflow/<hold>/history', 'requires role auditor'],
    ['operator', 'GET', '/api/workflow/<hold>/verify', 'requires role auditor'],
    ['operator', 'PUT', '/api/metadata/workflow', 'requires role admin'],
    ['operator', 'DELETE', '/api/workflow/<hold>/remove', 'requires role admin'],
    ['operator', 'DELETE', '/api/event/some_handler', 'requires role admin'],
    // auditor: history, state, verify, reports, operations, metrics; changes nothing
    ['auditor', 'GET', '/api/workflow/<hold>/history', 200],
    ['auditor', 'GET', '/api/workflow/<hold>/verify', 200],
    ['auditor', 'GET', '/api/workflow/<hold>/state?atRevision=0', 200],
    ['auditor', 'GET', '/api/reports/tasks', 200],
    ['auditor', 'GET', '/api/operations/queues', 200],
    ['auditor', 'GET', '/metrics', 200],
    ['auditor', 'DELETE', '/api/workflow/<hold>', 'requires role operator'],
    // worker: its tasks only, nothing else
    ['worker', 'GET', '/api/metadata/workflow', 'requires role reader'],
    ['worker', 'GET', '/api/workflow/<hold>', 'requires role reader'],
    ['worker', 'POST', `/api/workflow/${HOLD}`, 'requires role operator'],
    ['worker', 'GET', `/api/tasks/poll/${OTHER}`, `token:allowed-worker may not work on tasks of type ${OTHER}`],
    // admin: everything
    ['admin', 'PUT', '/api/metadata/workflow', 200],
    ['admin', 'GET', '/api/workflow/<hold>/history', 200],
    ['admin', 'DELETE', '/api/workflow/<hold>', 200],
  ])('%s %s %s → %s', async (who, method, pathTemplate, expected) => {
    const hold = pathTemplate.includes('<hold>') ? await start('admin', HOLD) : '';
    const body = method === 'GET' || method === 'DELETE' ? undefined : pathTemplate.startsWith('/api/metadata/workflow') ? [holdFlow] : {};
    const response = await call(who, method, pathTemplate.replace('<hold>', hold), pathTemplate === '/api/metadata/workflow?overwrite=true' ? holdFlow : body);
    if (typeof expected === 'number') {
      expect({ status: response.status, text: response.status === expected ? '' : response.text }).toEqual({ status: expected, text: '' });
      return;
    }
    const error = expectError(response, 403, 'FORBIDDEN');
    expect(error.message).toContain(expected);
  });

  it('given a worker token, then it polls and completes tasks of its types, and is refused (403, nothing stored) on another type', async () => {
    const mine = await start('operator', FLOW_ALLOWED);
    const polled = await waitFor('a task of the allowed type to be polled', async () => {
      const response = await call('worker', 'GET', `/api/tasks/poll/batch/${ALLOWED}?count=1&timeout=200&workerid=w-7`);
      expect(response.status).toBe(200);
      return (response.json() as Json[]).find((task) => task.workflowInstanceId === mine);
    });
    const done = await call('worker', 'POST', '/api/tasks', { workflowInstanceId: mine, taskId: polled.taskId, status: 'COMPLETED', outputData: { ok: true }, workerId: 'w-7' });
    expect(done.status).toBe(200);

    const theirs = await start('operator', FLOW_OTHER);
    await waitFor('the other task to be scheduled', async () => (await history(theirs)).some((event) => event.type === 'TaskScheduled'));
    const before = await history(theirs);
    const forged = await call('worker', 'POST', '/api/tasks', { workflowInstanceId: theirs, taskId: `${theirs}-1`, status: 'COMPLETED', outputData: { forged: true } });
    expect(expectError(forged, 403, 'FORBIDDEN').message).toBe(`token:allowed-worker may not work on tasks of type ${OTHER}`);
    expectError(await call('worker', 'POST', `/api/tasks/${theirs}/work/COMPLETED`, {}), 403, 'FORBIDDEN');
    expectError(await call('worker', 'POST', `/api/tasks/${theirs}-1/log`, JSON.stringify('forged line')), 403, 'FORBIDDEN');
    expectError(await call('worker', 'GET', `/api/tasks/${theirs}-1`), 403, 'FORBIDDEN');
    expect(await history(theirs)).toHaveLength(before.length);

    // The worker's result is recorded as the token's, with the worker id it reported.
    const completed = (await history(mine)).find((event) => event.type === 'TaskCompleted');
    expect(completed?.metadata).toMatchObject({ actor: 'token:allowed-worker', workerId: 'w-7' });
  });

  it('given a forged x-baton-client header, then the history records the token as the actor and the header only as client', async () => {
    const id = await start('operator', HOLD, { 'x-baton-client': 'admin-alice', 'x-request-id': 'req-auth-start' });
    expect((await call('operator', 'PUT', `/api/workflow/${id}/pause`, undefined, { 'x-baton-client': 'token:alice' })).status).toBe(200);
    expect((await call('operator', 'PUT', `/api/workflow/${id}/resume`)).status).toBe(200);
    expect((await call('admin', 'DELETE', `/api/workflow/${id}?reason=audit`)).status).toBe(200);

    const events = await history(id);
    expect(events.filter((event) => ['ExecutionStarted', 'ExecutionPaused', 'ExecutionResumed', 'ExecutionTerminated'].includes(event.type)).map((event) => [event.type, event.metadata.actor, event.metadata.client])).toEqual([
      ['ExecutionStarted', 'token:olga', 'admin-alice'],
      ['ExecutionPaused', 'token:olga', 'token:alice'],
      ['ExecutionResumed', 'token:olga', undefined],
      ['ExecutionTerminated', 'token:alice', undefined],
    ]);
    expect(events[0]!.metadata.causationId).toBe('req-auth-start');
  });

  it("given Conductor's JS SDK with keyId = a token's name and keySecret = the token, then it signs in at /api/token and its calls act as that token", async () => {
    const wrong = await call('nobody', 'POST', '/api/token', { keyId: 'olga', keySecret: TOKENS.reader });
    expectError(wrong, 401, 'UNAUTHENTICATED');
    const exchanged = await call('nobody', 'POST', '/api/token', { keyId: 'olga', keySecret: TOKENS.operator });
    expect({ status: exchanged.status, body: exchanged.json() }).toEqual({ status: 200, body: { token: TOKENS.operator } });

    const client = await orkesConductorClient({ serverUrl: orchestrator.api.baseUrl, keyId: 'olga', keySecret: TOKENS.operator, logger: noopLogger });
    try {
      const id = await new WorkflowExecutor(client).startWorkflow({ name: HOLD, version: 1, input: {} });
      expect((await history(id))[0]!.metadata.actor).toBe('token:olga');
      // An operator may not change definitions: the SDK call is refused with the 403's message.
      await expect(new MetadataClient(client).registerWorkflowDef({ ...holdFlow, name: 'auth_sdk_flow' } as never)).rejects.toThrow(/requires role admin/);
    } finally {
      // The SDK refreshes its token on an interval until told to stop.
      client.stopBackgroundRefresh();
    }
  });

  it('given the CLI with --token or BATON_TOKEN, then it acts as that token, and without one it is told so (exit 1, UNAUTHENTICATED)', async () => {
    const url = orchestrator.api.baseUrl;
    const id = await start('operator', HOLD);
    const refused = await runBaton(['--url', url, 'pause', id]);
    expect({ code: refused.code, stderr: refused.stderr }).toEqual({ code: 1, stderr: expect.stringContaining('UNAUTHENTICATED: no credentials: send Authorization: Bearer <token> (give a token with --token or BATON_TOKEN)') });
    const forbidden = await runBaton(['--url', url, '--token', TOKENS.reader, 'pause', id]);
    expect({ code: forbidden.code, stderr: forbidden.stderr }).toEqual({ code: 1, stderr: expect.stringContaining('FORBIDDEN: requires role operator') });
    expect((await runBaton(['--url', url, '--token', TOKENS.operator, 'pause', id])).code).toBe(0);
    expect((await runBaton(['--url', url, 'resume', id], { BATON_TOKEN: TOKENS.operator })).code).toBe(0);
    // The token made by `baton auth token` works, as the auditor it grants.
    const history = await runBaton(['--url', url, '--token', cliMade, 'history', id]);
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/ExecutionPaused .*token:olga · via baton-cli \(unverified\)/);
    expect(history.stdout).toMatch(/ExecutionResumed .*token:olga/);
  });

  it('given a network address and no tokens, then the orchestrator refuses to start with one line naming the variables; BATON_AUTH=none starts it with a warning', async () => {
    const refused = startNode('http-auth-refused', 'apps/orchestrator/src/main.js', {
      logDir: `${dataDir}/logs`,
      env: { BATON_HTTP_HOST: '0.0.0.0', BATON_HTTP_PORT: String(await freePort()), BATON_DATA_DIR: `${dataDir}/refused`, BATON_NATS_URL: NATS_URL },
    });
    expect(await refused.exited).not.toBe(0);
    const output = readFileSync(refused.logFile, 'utf8').trim().split('\n');
    expect(output).toEqual([
      'baton: refusing to start: BATON_HTTP_HOST=0.0.0.0 is reachable from the network and no API tokens are configured; set BATON_AUTH_TOKENS_FILE (or BATON_AUTH_TOKENS), or BATON_AUTH=none to run without authentication (docs/security.md)',
    ]);

    const open = await startOrchestrator({ dataDir: `${dataDir}/open`, name: 'http-auth-open', env: { BATON_HTTP_HOST: '0.0.0.0', BATON_AUTH: 'none' } });
    try {
      await open.handle.waitForLine(/AUTHENTICATION IS OFF \(BATON_AUTH=none\)/);
      expect((await open.api.request('GET', '/api/metadata/workflow')).status).toBe(200);
    } finally {
      await open.handle.stop();
    }
  });
});

describe('HTTP API with OIDC/JWT bearer tokens verified against a JWKS (orchestrator process)', () => {
  const ISSUER = 'https://idp.example.test';
  const AUDIENCE = 'baton-api';
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let jwks: Server;
  let orchestrator: OrchestratorProcess;

  const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const jwt = (claims: Json, options: { key?: KeyObject; header?: Json } = {}): string => {
    const now = Math.floor(Date.now() / 1000);
    const data = `${base64url({ alg: 'RS256', typ: 'JWT', kid: 'k1', ...options.header })}.${base64url({ iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 300, ...claims })}`;
    return `${data}.${sign('sha256', Buffer.from(data), options.key ?? signingKey.privateKey).toString('base64url')}`;
  };
  const call = (token: string, method: string, path: string, body?: unknown) => orchestrator.api.request(method, path, body, { authorization: `Bearer ${token}` });

  beforeAll(async () => {
    const key = { ...signingKey.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [key] })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    orchestrator = await startOrchestrator({
      dataDir: tempDir('http-auth-jwt'),
      name: 'http-auth-jwt',
      env: { BATON_AUTH_JWKS_URL: jwksUrl, BATON_AUTH_JWT_ISSUER: ISSUER, BATON_AUTH_JWT_AUDIENCE: AUDIENCE },
    });
  });

  afterAll(async () => {
    await orchestrator?.handle.stop();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  it('given a valid token, then the user acts with the roles of its roles claim, and the history names user:<sub>', async () => {
    const admin = jwt({ sub: 'alice@example.test', roles: ['admin'] });
    expect((await call(admin, 'POST', '/api/metadata/workflow', holdFlow)).status).toBe(200);
    const operator = jwt({ sub: 'olga@example.test', roles: ['operator'] });
    const started = await call(operator, 'POST', `/api/workflow/${HOLD}`, {});
    expect(started.status).toBe(200);
    expect(expectError(await call(operator, 'GET', `/api/workflow/${started.text}/history`), 403, 'FORBIDDEN').message).toBe('requires role auditor (user:olga@example.test has none of them)');
    const history = (await call(admin, 'GET', `/api/workflow/${started.text}/history`)).json() as { metadata: Json }[];
    expect(history[0]!.metadata.actor).toBe('user:olga@example.test');
  });

  it.each<[string, () => string]>([
    ['expired', () => jwt({ sub: 'a', roles: ['admin'], exp: Math.floor(Date.now() / 1000) - 60 })],
    ['for another issuer', () => jwt({ sub: 'a', roles: ['admin'], iss: 'https://evil.example.test' })],
    ['for another audience', () => jwt({ sub: 'a', roles: ['admin'], aud: 'another-app' })],
    ['signed with another key', () => jwt({ sub: 'a', roles: ['admin'] }, { key: strangerKey.privateKey })],
    ['unsigned (alg none)', () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ iss: ISSUER, aud: AUDIENCE, sub: 'a', roles: ['admin'], exp: Math.floor(Date.now() / 1000) + 300 })}.`],
    ['without a subject', () => jwt({ roles: ['admin'] })],
  ])('given a token %s, then 401', async (_case, token) => {
    expectError(await call(token(), 'GET', '/api/metadata/workflow'), 401, 'UNAUTHENTICATED');
  });

  it('given a valid token without a known role, then 403 on every route', async () => {
    expectError(await call(jwt({ sub: 'nobody', roles: ['payroll'] }), 'GET', '/api/metadata/workflow'), 403, 'FORBIDDEN');
  });

  it("given the provider's key set cannot be read, then 503 AUTH_PROVIDER_UNAVAILABLE (retryable), not a 401", async () => {
    const unreachable = await startOrchestrator({
      dataDir: tempDir('http-auth-jwks-down'),
      name: 'http-auth-jwks-down',
      env: { BATON_AUTH_JWKS_URL: `http://127.0.0.1:${await freePort()}/jwks.json`, BATON_AUTH_JWT_ISSUER: ISSUER, BATON_AUTH_JWT_AUDIENCE: AUDIENCE },
    });
    try {
      const response = await unreachable.api.request('GET', '/api/metadata/workflow', undefined, { authorization: `Bearer ${jwt({ sub: 'a', roles: ['admin'] })}` });
      expect(expectError(response, 503, 'AUTH_PROVIDER_UNAVAILABLE').retryable).toBe(true);
    } finally {
      await unreachable.handle.stop();
    }
  });
});
