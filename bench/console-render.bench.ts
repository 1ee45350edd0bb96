/**
 * `npm run bench:console-render`: how long the console's execution page takes to render a
 * 1,000-task execution in headless Chromium (issue 10: under 1 s on this machine).
 *
 * On its own nats-server and a real orchestrator process, it runs one execution of a workflow
 * made of system tasks only (no workers needed): a DO_WHILE of BENCH_ITERATIONS (500) iterations
 * of two value-param INLINE tasks, then a static FORK_JOIN of BENCH_BRANCHES (200) branches of one INLINE task
 * each — 1,200 task executions and more than 1,400 stored events. Then Debian's Chromium
 * (BATON_CHROMIUM, default /usr/bin/chromium) opens `/executions/<id>` BENCH_REPEATS (7) times in
 * a fresh page, and each time measures, from the navigation, until:
 * - `execution_page_render_ms`: the diagram is laid out and every one of its nodes is in the DOM;
 * - `timeline_render_ms`: after a click on the Timeline tab, its rows for every task attempt are drawn.
 * Last line: `BENCH {json}` with the p50 of each (and the p90), the task and event counts.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { doWhile, forkJoin, inlineValue, workflow } from '@app/domain';
import { NatsServerProcess } from '@app/messaging/testing/nats-server-process';
import { waitFor } from '@app/testing/wait-for';
import { HeadlessBrowser, screenshot } from '../test/support/browser';
import { freePort, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from '../test/support/stack';
import { log, percentile, round } from './bench-stats';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 500);
const BRANCHES = Number(process.env.BENCH_BRANCHES ?? 200);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 7);
const TARGET_MS = 1_000;

/** The 1,000-task shape the issue names: a long loop, then a wide fork. */
function bigWorkflow() {
  // Value-param INLINE tasks are decided in place: the whole run takes a few decisions, and the
  // page has the same 1,203 tasks to draw as if workers had run them.
  const loop = doWhile('pages', `$.pages.iteration < ${ITERATIONS}`, [inlineValue('fetch_page', { page: '${pages.output.iteration}', rows: 25 }), inlineValue('sum_page', { total: '${fetch_page.output.result.rows}' })]);
  const branches = Array.from({ length: BRANCHES }, (_, n) => [inlineValue(`ship_${n}`, { shipped: n })]);
  return workflow('console_render_bench').tasks(loop, ...forkJoin('ship_all', branches)).build();
}

/** The little of the page's DOM the waits below read (this Node project does not load the DOM's types). */
interface PageDom {
  readonly document: {
    querySelector(selector: string): { getAttribute(name: string): string | null } | null;
    querySelectorAll(selector: string): { readonly length: number };
  };
}

/** Runs in the page: true once the diagram is laid out and each of its nodes (its `data-nodes`) is in the DOM. */
function diagramComplete(): boolean {
  const { document } = globalThis as unknown as PageDom;
  const expected = Number(document.querySelector('[data-testid="diagram"]')?.getAttribute('data-nodes') ?? -1);
  return expected > 0 && document.querySelectorAll('.react-flow__node').length >= expected;
}

/** Runs in the page: how long the execution's JSON took to arrive (resource timing), in ms. */
function workflowFetchMs(id: string): number {
  const { performance } = globalThis as unknown as { performance: { getEntriesByType(type: string): { name: string; startTime: number; responseEnd: number }[] } };
  const entry = performance.getEntriesByType('resource').find((resource) => resource.name.endsWith(`/api/workflow/${id}`));
  return entry === undefined ? Number.NaN : entry.responseEnd - entry.startTime;
}

/** Runs in the page: true once the timeline draws a row for each of `rows` task attempts. */
function timelineComplete(rows: number): boolean {
  const { document } = globalThis as unknown as PageDom;
  return document.querySelectorAll('[data-testid="timeline"] .timeline-row').length >= rows;
}

/** Opens the execution page in a fresh page; the milliseconds until the diagram and then the timeline are complete. */
async function renderOnce(browser: HeadlessBrowser, url: string, id: string, attempts: number): Promise<{ diagramMs: number; fetchMs: number; timelineMs: number; page: Page }> {
  const { page } = await browser.page();
  const started = performance.now();
  await page.goto(url);
  await page.waitForFunction(diagramComplete, undefined, { timeout: 60_000, polling: 'raf' });
  const diagramMs = performance.now() - started;
  const fetchMs = await page.evaluate(workflowFetchMs, id);
  const clicked = performance.now();
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await page.waitForFunction(timelineComplete, attempts, { timeout: 60_000, polling: 'raf' });
  return { diagramMs, fetchMs, timelineMs: performance.now() - clicked, page };
}

interface PageTimes {
  readonly diagram: number[];
  readonly timeline: number[];
  readonly fetches: number[];
  readonly screenshot: string;
}

/** Opens one execution's page REPEATS times after a warm-up; each figure sorted ascending. */
async function measurePage(browser: HeadlessBrowser, baseUrl: string, id: string, attempts: number, shotName: string): Promise<PageTimes> {
  const times: PageTimes = { diagram: [], timeline: [], fetches: [], screenshot: '' };
  let shot = '';
  for (let repeat = 0; repeat < REPEATS + 1; repeat += 1) {
    const result = await renderOnce(browser, `${baseUrl}/executions/${id}`, id, attempts);
    if (repeat === REPEATS) shot = await screenshot(result.page, shotName);
    await result.page.context().close();
    if (repeat === 0) continue; // the first load warms the orchestrator's caches and Chromium's
    times.diagram.push(result.diagramMs);
    times.timeline.push(result.timelineMs);
    times.fetches.push(result.fetchMs);
    log(`${shotName} ${repeat}: diagram ${result.diagramMs.toFixed(0)} ms (of which the execution's JSON ${result.fetchMs.toFixed(0)} ms), timeline ${result.timelineMs.toFixed(0)} ms`);
  }
  for (const list of [times.diagram, times.timeline, times.fetches]) list.sort((a, b) => a - b);
  return { ...times, screenshot: shot };
}

async function main(): Promise<void> {
  const dir = tempDir('bench-console-render');
  const nats = new NatsServerProcess(await freePort());
  await nats.start();
  let orchestrator: OrchestratorProcess | undefined;
  let browser: HeadlessBrowser | undefined;
  try {
    orchestrator = await startOrchestrator({ dataDir: dir, name: 'orchestrator-render-bench', env: { BATON_NATS_URL: nats.url } });
    const api = orchestrator.api;
    const definition = bigWorkflow();
    await api.expectOk('POST', '/api/metadata/workflow', definition);
    const id = await api.expectOk('POST', `/api/workflow/${definition.name}`, {});
    log(`execution ${id}: ${ITERATIONS} iterations × 2 INLINE, then ${BRANCHES} branches`);
    await waitFor('the big execution to complete', async () => (await api.workflow(id)).status === 'COMPLETED', { timeoutMs: 600_000, intervalMs: 500 });
    const tasks = ((await api.workflow(id)).tasks ?? []).length;
    const history = await api.history(id);
    log(`completed: ${tasks} tasks, ${history.length} events`);
    // The same-run baseline: a three-task execution, to tell the cost of size from the page's fixed cost.
    const small = workflow('console_render_small').tasks(inlineValue('a', 1), inlineValue('b', 2), inlineValue('c', 3)).build();
    await api.expectOk('POST', '/api/metadata/workflow', small);
    const smallId = await api.expectOk('POST', `/api/workflow/${small.name}`, {});
    await waitFor('the small execution to complete', async () => (await api.workflow(smallId)).status === 'COMPLETED', { timeoutMs: 60_000 });

    browser = await HeadlessBrowser.launch();
    const big = await measurePage(browser, orchestrator.api.baseUrl, id, tasks, 'bench-1000-task-execution');
    const baseline = await measurePage(browser, orchestrator.api.baseUrl, smallId, 3, 'bench-3-task-execution');
    const p50 = percentile(big.diagram, 50);
    log(`execution page p50 ${p50.toFixed(0)} ms (target < ${TARGET_MS} ms: ${p50 < TARGET_MS ? 'met' : 'MISSED'}); a 3-task execution's ${percentile(baseline.diagram, 50).toFixed(0)} ms`);
    const result = {
      tasks,
      events: history.length,
      repeats: REPEATS,
      execution_page_render_ms: round(p50),
      execution_page_render_p90_ms: round(percentile(big.diagram, 90)),
      workflow_fetch_ms: round(percentile(big.fetches, 50)),
      timeline_render_ms: round(percentile(big.timeline, 50)),
      small_execution_page_render_ms: round(percentile(baseline.diagram, 50)),
      small_workflow_fetch_ms: round(percentile(baseline.fetches, 50)),
      target_ms: TARGET_MS,
      screenshot: path.relative(process.cwd(), big.screenshot),
    };
    console.log(`BENCH ${JSON.stringify(result)}`);
  } finally {
    await browser?.close();
    await stopAll([orchestrator?.handle]);
    await nats.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
