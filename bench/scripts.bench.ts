// npm run bench:scripts — the cost of one INLINE/LAMBDA script in the QuickJS sandbox (a fresh
// runtime per evaluation), against the decider's own interpreter on the same script, and of one
// JSON_JQ_TRANSFORM query in the jq worker.
import os from 'node:os';
import { evaluateWithEvaluator } from '@app/domain';
import { JqEngine, runScriptTask, ScriptEngine } from '@app/scripts';
import { log, percentile, round } from './bench-stats';

const EVALS = Number(process.env.BENCH_EVALS ?? 5_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 2_000);
/** The per-script budget this bench checks: a script must cost well under a task's round trip (≈ 1 ms of orchestrator CPU per task). */
const TARGET_P50_MS = 1;

/** A typical Conductor INLINE: sum an order's lines (no regular expression: the decider's interpreter, measured on the same script, has none). */
const SCRIPT = '(function () { var total = 0; for (var i = 0; i < $.items.length; i++) total += $.items[i].price * $.items[i].quantity; return { total: total, lines: $.items.length, vip: $.customer.indexOf("vip-") === 0 }; })()';
const JAVA_STYLE = '(function () { var total = 0; for (var i = 0; i < $.items.size(); i++) total += $.items.get(i).price; return total; })()';
const input = { customer: 'vip-7', items: Array.from({ length: 10 }, (_, i) => ({ sku: `s-${i}`, price: i + 1, quantity: 2 })) };

function timed(count: number, run: () => void): { perSecond: number; p50: number; p99: number } {
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    const at = performance.now();
    run();
    samples.push(performance.now() - at);
  }
  const seconds = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  return { perSecond: count / seconds, p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

async function main(): Promise<void> {
  const loadStarted = performance.now();
  const engine = await ScriptEngine.load();
  const loadMs = performance.now() - loadStarted;

  const check = runScriptTask(engine, 'INLINE', { ...input, expression: SCRIPT });
  if (check.status !== 'COMPLETED') throw new Error(`the bench script failed: ${check.reason}`);
  const quickjs = timed(EVALS, () => runScriptTask(engine, 'INLINE', { ...input, expression: SCRIPT }));
  log(`QuickJS INLINE: ${Math.round(quickjs.perSecond)}/s, p50 ${round(quickjs.p50, 3)} ms, p99 ${round(quickjs.p99, 3)} ms`);
  const javaStyle = timed(EVALS, () => runScriptTask(engine, 'LAMBDA', { ...input, scriptExpression: `return ${JAVA_STYLE};` }));
  log(`QuickJS LAMBDA (Java-style access): ${Math.round(javaStyle.perSecond)}/s, p50 ${round(javaStyle.p50, 3)} ms`);
  const interpreter = timed(EVALS, () => evaluateWithEvaluator('javascript', SCRIPT, input));
  log(`decider interpreter, same script: ${Math.round(interpreter.perSecond)}/s, p50 ${round(interpreter.p50, 3)} ms`);

  const jq = new JqEngine();
  await jq.run('.', {}); // starts the worker
  const jqSamples: number[] = [];
  const jqStarted = performance.now();
  for (let i = 0; i < QUERIES; i += 1) {
    const at = performance.now();
    const outcome = await jq.run('[.items[] | .price * .quantity] | add', input);
    if (!outcome.ok) throw new Error(`the bench query failed: ${outcome.message}`);
    jqSamples.push(performance.now() - at);
  }
  const jqPerSecond = QUERIES / ((performance.now() - jqStarted) / 1000);
  jqSamples.sort((a, b) => a - b);
  await jq.close();
  log(`jq: ${Math.round(jqPerSecond)}/s, p50 ${round(percentile(jqSamples, 50), 3)} ms, p99 ${round(percentile(jqSamples, 99), 3)} ms`);

  process.stdout.write(
    `BENCH ${JSON.stringify({
      bench: 'scripts',
      evals: EVALS,
      queries: QUERIES,
      engine_load_ms: round(loadMs),
      quickjs_inline_per_s: Math.round(quickjs.perSecond),
      quickjs_inline_p50_ms: round(quickjs.p50, 3),
      quickjs_inline_p99_ms: round(quickjs.p99, 3),
      quickjs_lambda_java_style_per_s: Math.round(javaStyle.perSecond),
      interpreter_per_s: Math.round(interpreter.perSecond),
      interpreter_p50_ms: round(interpreter.p50, 3),
      jq_per_s: Math.round(jqPerSecond),
      jq_p50_ms: round(percentile(jqSamples, 50), 3),
      jq_p99_ms: round(percentile(jqSamples, 99), 3),
      target_inline_p50_ms: TARGET_P50_MS,
      met: quickjs.p50 <= TARGET_P50_MS,
      load_avg_1m: round(os.loadavg()[0]!),
      rss_mb: round(process.memoryUsage().rss / 1024 / 1024),
    })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
