import path from 'node:path';
import Database from 'better-sqlite3';
import { connect } from 'nats';
import type { Page } from 'playwright-core';
import { tokenHash } from '@app/common';
import { simple, wait, workflow } from '@app/domain';
import { sampleOrder } from '@app/samples';
import type { ChildHandle } from './support/child-process';
import { HeadlessBrowser, screenshot } from './support/browser';
import { register, start, waitForStatus } from './support/flows';
import { NATS_URL, resetBatonStreams, startOrchestrator, startSampleServices, stopAll, tempDir, type OrchestratorProcess } from './support/stack';
import { waitFor } from '@app/testing/wait-for';

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'TERMINATED', 'TIMED_OUT']);

interface Task { referenceTaskName: string; status: string; seq: number; workerId?: string }

/** The latest attempt's status of every reference name, as the API reports it. */
function latestStatuses(tasks: readonly Task[]): Map<string, string> {
  const latest = new Map<string, string>();
  for (const task of [...tasks].sort((a, b) => a.seq - b.seq)) latest.set(task.referenceTaskName, task.status);
  return latest;
}

describe('web console in a real browser', () => {
  let dir: string;
  let orchestrator: OrchestratorProcess;
  let restarted: OrchestratorProcess | undefined;
  let services: ChildHandle[] = [];
  let browser: HeadlessBrowser;
  let page: Page;
  let base: string;
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];
  const orders = new Map<string, string>();

  beforeAll(async () => {
    await resetBatonStreams();
    dir = tempDir('console');
    orchestrator = await startOrchestrator({ dataDir: dir, name: 'orchestrator-console' });
    base = orchestrator.api.baseUrl;
    services = await startSampleServices({ apiUrl: base, logDir: path.join(dir, 'logs') });
    await orchestrator.api.registerSampleFlow();
    await register(orchestrator.api, [], [workflow('console_wait').tasks(wait('hold')).build(), workflow('console_stamp').tasks(simple('stamp_it', 'stamp')).build()]);
    // The demo's orders: every third rejected, the fifth without an address (failed, compensated).
    for (let n = 1; n <= 6; n += 1) {
      const order = sampleOrder(n, { rejectEvery: 3, noAddressEvery: 5, prefix: 'console' });
      orders.set(await orchestrator.api.startOrderReliably(order), order.orderId);
    }
    await waitFor('the orders to end', async () => {
      const statuses = await Promise.all([...orders.keys()].map(async (id) => (await orchestrator.api.workflow(id)).status));
      return statuses.every((status) => TERMINAL.has(status));
    }, { timeoutMs: 60_000 });
    browser = await HeadlessBrowser.launch();
    ({ page } = await browser.page());
    page.on('request', (request) => {
      if (!request.url().startsWith(base) && !request.url().startsWith('data:')) foreignRequests.push(request.url());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await stopAll([...services, orchestrator?.handle, restarted?.handle]);
  });

  afterEach(() => {
    // Everything the console loads ships in the build: no request ever leaves the orchestrator.
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it("given the demo's orders, then the executions page lists them with their statuses and counts, and a new execution appears live", async () => {
    await page.goto(`${base}/executions`);
    // (the failed order's compensation carries its correlation id too)
    for (const orderId of orders.values()) await page.getByRole('cell', { name: orderId, exact: true }).first().waitFor();
    await page.getByTestId('live-state').and(page.locator('[data-state="live"]')).waitFor();
    const counts = await orchestrator.api.request('GET', '/api/executions?workflowName=order_fulfilment');
    const expected = (counts.json() as { statusCounts: Record<string, number> }).statusCounts;
    expect(expected).toEqual({ COMPLETED: 3, TERMINATED: 2, FAILED: 1 });
    await expect(page.getByTestId('count-TERMINATED').textContent()).resolves.toContain('2');
    await screenshot(page, '01-executions');

    // Live: started while the page is open, without a reload.
    const id = await start(orchestrator.api, 'console_wait');
    await page.locator(`tr[data-execution="${id}"]`).waitFor({ timeout: 10_000 });
    await page.getByTestId('free-text').fill('console-4');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await waitFor('the search to narrow to one order', async () => (await page.locator('tbody tr').count()) === 1);
    await expect(page.locator('tbody tr').first().textContent()).resolves.toContain('console-4');
  });

  it("given a finished order, then its diagram shows every task in its latest status, and a task's attempts open on click", async () => {
    const [id] = [...orders].find(([, orderId]) => orderId === 'console-5')!;
    const api = (await orchestrator.api.request('GET', `/api/workflow/${id}`)).json() as { tasks: Task[] };
    await page.goto(`${base}/executions/${id}`);
    await page.getByTestId('diagram').waitFor();
    for (const [ref, status] of latestStatuses(api.tasks)) await expect(page.getByTestId(`node-${ref}`).getAttribute('data-status')).resolves.toBe(status);
    // The rejected branch never ran; the failure workflow is linked.
    await expect(page.getByTestId('node-notify_rejected').getAttribute('data-status')).resolves.toBe('NOT_RUN');
    await page.getByTestId('failure-links').getByRole('link', { name: 'order_compensation' }).waitFor();
    await screenshot(page, '02-execution-diagram');

    // Keyboard: Tab to a node and press Enter.
    await page.getByTestId('node-ship_order').focus();
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('task-panel');
    await panel.waitFor();
    await expect(panel.textContent()).resolves.toContain('has no shipping address');
    await expect(panel.textContent()).resolves.toMatch(/Queue wait/);
    await screenshot(page, '03-execution-task-attempts');

    await page.getByRole('tab', { name: 'Timeline' }).click();
    await expect(page.getByTestId('timeline').getAttribute('data-rows')).resolves.toBe(String(api.tasks.length));
    await screenshot(page, '04-execution-timeline');
  });

  it('given time travel to an early revision, then the diagram shows fewer completed tasks than now', async () => {
    const [id] = [...orders].find(([, orderId]) => orderId === 'console-1')!;
    await page.goto(`${base}/executions/${id}`);
    await page.getByTestId('node-ship_order').waitFor();
    const completedNow = await page.locator('[data-status="COMPLETED"][data-kind="task"]').count();
    // The revision at which the first task (validate_order) had completed, and nothing after it.
    const early = (await orchestrator.api.history(id)).find((event) => event.type === 'TaskCompleted')!.revision;
    await page.getByTestId('start-time-travel').click();
    await page.getByTestId('time-travel').waitFor();
    const slider = page.getByTestId('revision-slider');
    await slider.focus();
    for (let step = 0; step < Number(early); step += 1) await page.keyboard.press('ArrowRight');
    await waitFor(`the diagram at revision ${early}`, async () => (await page.getByTestId('travel-position').textContent())?.includes(`Revision ${early} of`));
    await waitFor('the state after the first completion to be drawn', async () => (await page.getByTestId('node-validate_order').getAttribute('data-status')) === 'COMPLETED');
    await expect(page.getByTestId('node-ship_order').getAttribute('data-status')).resolves.toBe('NOT_RUN');
    const completedThen = await page.locator('[data-status="COMPLETED"][data-kind="task"]').count();
    expect(completedThen).toBe(1);
    expect(completedNow).toBeGreaterThan(5);
    await screenshot(page, '05-time-travel');
  });

  it('given a running execution, when terminated from the console with a reason, then it is TERMINATED and its history shows it', async () => {
    const id = await start(orchestrator.api, 'console_wait');
    await page.goto(`${base}/executions/${id}`);
    await page.getByRole('button', { name: 'Terminate…' }).click();
    await page.getByTestId('terminate-reason').fill('customer cancelled by phone');
    await screenshot(page, '06-terminate-confirm');
    await page.locator('dialog[open]').getByTestId('confirm').click();
    await page.locator('[data-testid="execution-page"][data-status="TERMINATED"]').waitFor({ timeout: 10_000 });
    await expect((await orchestrator.api.workflow(id)).status).toBe('TERMINATED');
    await page.getByRole('tab', { name: 'History & audit' }).click();
    const row = page.locator('tr[data-type="ExecutionTerminated"]');
    await row.waitFor();
    await row.getByRole('button', { name: 'ExecutionTerminated' }).click();
    await expect(page.getByLabel('Event data').textContent()).resolves.toContain('customer cancelled by phone');
    await expect(row.getByTestId('actor').textContent()).resolves.toBe('anonymous · via console (unverified)');
    await screenshot(page, '07-terminated-history');
  });

  it('given a definition with an error, then registering it is refused and the error is shown at its path', async () => {
    await page.goto(`${base}/definitions/new`);
    const broken = { name: 'console_broken', version: 1, tasks: [{ name: 'a', taskReferenceName: 'same', type: 'SIMPLE' }, { name: 'b', taskReferenceName: 'same', type: 'SIMPLE' }] };
    await page.getByTestId('definition-json').fill(JSON.stringify(broken, null, 2));
    await page.getByTestId('register').click();
    const problems = page.getByTestId('problems');
    await problems.waitFor();
    await expect(problems.textContent()).resolves.toMatch(/tasks\[1\]\.taskReferenceName · line \d+/);
    await problems.getByRole('button').first().click();
    const selected = await page.getByTestId('definition-json').evaluate((area) => { const text = area as unknown as { value: string; selectionStart: number; selectionEnd: number }; return text.value.slice(text.selectionStart, text.selectionEnd); });
    expect(selected).toContain('"taskReferenceName": "same"');
    expect((await orchestrator.api.request('GET', '/api/metadata/workflow/console_broken')).status).toBe(404);
    await screenshot(page, '08-definition-refused');

    await page.goto(`${base}/definitions/order_fulfilment/1`);
    await page.getByTestId('node-charge_payment').waitFor();
    await screenshot(page, '09-definition');
  });

  it('given a malformed result, then the operations page shows its dead letter with the reason, the queues and the task report', async () => {
    const connection = await connect({ servers: NATS_URL });
    await connection.jetstream().publish('baton.result.ship_order', new TextEncoder().encode('{"taskId": 1}'), { msgID: `console-bad-${Date.now()}` });
    await connection.close();
    await page.goto(`${base}/operations`);
    await page.locator('[data-testid="dead-letters"] tr[data-code="VALIDATION_FAILED"]').first().waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="queues"] tr[data-task-type="ship_order"]').waitFor();
    await page.getByTestId('task-report').getByText('charge_payment').first().waitFor();
    await screenshot(page, '10-operations');
  });

  it('given an unknown execution, then the page says so instead of going blank', async () => {
    await page.goto(`${base}/executions/no-such-execution`);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('EXECUTION_NOT_FOUND');
  });

  it('the API the console adds validates its input (400 naming the field) and the live feed reports appended events', async () => {
    const bad = async (pathAndQuery: string, field: string) => {
      const response = await orchestrator.api.request('GET', pathAndQuery);
      expect(response.status).toBe(400);
      expect((response.json() as { validationErrors: { path: string }[] }).validationErrors.map((problem) => problem.path)).toContain(field);
    };
    await bad('/api/executions?status=DONE', 'status');
    await bad('/api/executions?size=0', 'size');
    await bad('/api/executions?from=yesterday', 'from');
    await bad('/api/executions?from=2000&to=1000', 'to');
    await bad('/api/operations/dead-letters?limit=500', 'limit');
    await bad(`/api/live?executionId=${'x'.repeat(300)}`, 'executionId');

    const controller = new AbortController();
    const response = await fetch(`${base}/api/live`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    await waitFor('the ready event', async () => {
      received += (await reader.read()).value ?? '';
      return received.includes('event: ready');
    });
    const id = await start(orchestrator.api, 'console_wait');
    await waitFor('the new execution on the live feed', async () => {
      received += (await reader.read()).value ?? '';
      return received.includes(id) && received.includes('ExecutionStarted');
    });
    controller.abort();
  });

  it('given a history altered on disk, then verification in the console fails at the altered revision', async () => {
    const id = await start(orchestrator.api, 'console_stamp');
    await waitForStatus(orchestrator.api, id, 'RUNNING');
    // A worker-less task: terminate so the history is final, then tamper with its first task event.
    await orchestrator.api.expectOk('DELETE', `/api/workflow/${id}?reason=done`);
    const port = orchestrator.port;
    await orchestrator.handle.stop();
    const db = new Database(path.join(dir, 'baton.db'));
    const changed = db
      .prepare(`UPDATE events SET data = json_set(data, '$.input.forged', 1) WHERE type = 'TaskScheduled' AND stream_id = (SELECT stream_id FROM streams WHERE name = ?)`)
      .run(`execution-${id}`);
    db.close();
    expect(changed.changes).toBe(1);
    restarted = await startOrchestrator({ dataDir: dir, port, name: 'orchestrator-console-2' });
    const altered = (await restarted.api.history(id)).find((event) => event.type === 'TaskScheduled')!.revision;

    await page.goto(`${base}/executions/${id}?tab=history`);
    await page.getByTestId('verify').click();
    const result = page.getByTestId('verify-result');
    await result.waitFor();
    await expect(result.getAttribute('data-valid')).resolves.toBe('false');
    await expect(result.getAttribute('data-revision')).resolves.toBe(altered);
    await expect(page.locator(`tr.bad[data-revision="${altered}"]`).count()).resolves.toBe(1);
    await screenshot(page, '11-tampered-history');
  });
});

describe('web console signed in with API tokens (docs/security.md)', () => {
  const OPERATOR = 'console-operator-token-5d1c';
  const OPERATOR_AUDITOR = 'console-ops-auditor-token-8a2f';
  const ADMIN = 'console-admin-token-3e9b';
  let orchestrator: OrchestratorProcess;
  let browser: HeadlessBrowser;
  let page: Page;
  let base: string;
  let held: string;
  const pageErrors: string[] = [];

  const api = async (token: string, method: string, path: string, body?: unknown): Promise<string> => {
    const response = await orchestrator.api.request(method, path, body, { authorization: `Bearer ${token}` });
    if (response.status !== 200) throw new Error(`${method} ${path} → ${response.status}: ${response.text}`);
    return response.text;
  };

  const signIn = async (token: string) => {
    await page.getByTestId('token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  beforeAll(async () => {
    const dir = tempDir('console-auth');
    const tokens = [
      { name: 'olga', sha256: tokenHash(OPERATOR), roles: ['operator'] },
      { name: 'ada', sha256: tokenHash(OPERATOR_AUDITOR), roles: ['operator', 'auditor'] },
      { name: 'root', sha256: tokenHash(ADMIN), roles: ['admin'] },
    ];
    orchestrator = await startOrchestrator({ dataDir: dir, name: 'orchestrator-console-auth', env: { BATON_AUTH_TOKENS: JSON.stringify(tokens) } });
    base = orchestrator.api.baseUrl;
    await api(ADMIN, 'POST', '/api/metadata/workflow', workflow('console_auth_wait').tasks(wait('hold')).build());
    held = await api(ADMIN, 'POST', '/api/workflow/console_auth_wait', {});
    browser = await HeadlessBrowser.launch();
    ({ page } = await browser.page());
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await stopAll([orchestrator?.handle]);
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  it('given no token, then the console asks for one; signed in as an operator it lists executions live, and the history tab says the operator lacks the auditor role', async () => {
    await page.goto(`${base}/executions`);
    await page.getByTestId('token').waitFor();
    await screenshot(page, '20-sign-in');
    await signIn('not-a-token');
    // A wrong token is answered 401 again: the sign-in comes back.
    await page.getByTestId('token').waitFor();
    await signIn(OPERATOR);
    await page.locator(`tr[data-execution="${held}"]`).waitFor({ timeout: 10_000 });
    // The live feed (fetch with the bearer header) is connected: a new start appears without a reload.
    await page.getByTestId('live-state').and(page.locator('[data-state="live"]')).waitFor({ timeout: 15_000 });
    const started = await api(ADMIN, 'POST', '/api/workflow/console_auth_wait', {});
    await page.locator(`tr[data-execution="${started}"]`).waitFor({ timeout: 10_000 });
    // Kept for the tab only (sessionStorage), never in a cookie or the URL.
    await expect(page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem('baton.console.token'))).resolves.toBe(OPERATOR);
    await expect(page.context().cookies()).resolves.toEqual([]);

    await page.goto(`${base}/executions/${held}`);
    await page.getByRole('tab', { name: 'History & audit' }).click();
    await page.getByText('requires role auditor').first().waitFor();
  });

  it('given an operator and auditor token, when it terminates an execution in the console, then the history shows that token as the actor', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByTestId('token').waitFor();
    await signIn(OPERATOR_AUDITOR);
    await page.goto(`${base}/executions/${held}`);
    await page.getByRole('button', { name: 'Terminate…' }).click();
    await page.getByTestId('terminate-reason').fill('signed-in terminate');
    await page.locator('dialog[open]').getByTestId('confirm').click();
    await page.locator('[data-testid="execution-page"][data-status="TERMINATED"]').waitFor({ timeout: 10_000 });
    await page.getByRole('tab', { name: 'History & audit' }).click();
    const row = page.locator('tr[data-type="ExecutionTerminated"]');
    await row.waitFor();
    await expect(row.getByTestId('actor').textContent()).resolves.toBe('token:ada · via console (unverified)');
    await screenshot(page, '21-signed-in-history');
  });
});
