/**
 * `npm run bench:loop`: the cost of one decision that runs a DO_WHILE to its 10,000-iteration cap
 * with system tasks only (INLINE, SET_VARIABLE, SWITCH), in process: the decision itself, folding
 * its events (`replay`), and linking them into a hash chain (`chainEvents`, as an append does).
 * A second size (BENCH_LOOP_SMALL, 2,500 iterations) shows whether the cost grows linearly: the
 * ratio of the per-iteration times is ≈ 1 when it does, ≈ 4 when it is quadratic. Best of
 * BENCH_LOOP_RUNS (3) per size; CPU time is reported too, the machine being shared. Last line: `BENCH {json}`.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { decide, initialState, replay } from '@app/domain';
import { GENESIS_HASH, chainEvents } from '@app/event-store';
import { systemTaskLoopWorkflow } from '@app/testing/decider';
import { log, round } from './bench-stats';

const ITERATIONS = Number(process.env.BENCH_LOOP_ITERATIONS ?? 10_000);
const SMALL = Number(process.env.BENCH_LOOP_SMALL ?? 2_500);
const RUNS = Number(process.env.BENCH_LOOP_RUNS ?? 3);
/** What "reasonable" means here: the whole 10,000-iteration decision, folded and hashed, within 5 s of CPU. */
const TARGET_MS = 5_000;

const definition = systemTaskLoopWorkflow('bench_loop');

interface Run {
  readonly events: number;
  readonly decideMs: number;
  readonly replayMs: number;
  readonly hashMs: number;
  readonly cpuMs: number;
}

function once(times: number): Run {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const decision = decide({ type: 'StartExecution', executionId: 'bench', definition, taskDefs: {}, input: { times } }, initialState('bench'), { now: 1 });
  const t1 = performance.now();
  const state = replay(decision.events, initialState('bench'));
  const t2 = performance.now();
  chainEvents('execution-bench', 0n, GENESIS_HASH, decision.events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: {} })));
  const t3 = performance.now();
  const used = process.cpuUsage(cpu);
  if (state.status !== 'COMPLETED') throw new Error(`the loop ended ${state.status}: ${state.reason ?? ''}`);
  return { events: decision.events.length, decideMs: t1 - t0, replayMs: t2 - t1, hashMs: t3 - t2, cpuMs: (used.user + used.system) / 1000 };
}

function best(times: number): Run {
  const runs = Array.from({ length: RUNS }, (_, i) => {
    const run = once(times);
    log(`${times} iterations, run ${i + 1}: ${run.events} events; decide ${Math.round(run.decideMs)} ms, replay ${Math.round(run.replayMs)} ms, hash ${Math.round(run.hashMs)} ms (${Math.round(run.cpuMs)} ms CPU)`);
    return run;
  });
  return runs.reduce((a, b) => (b.cpuMs < a.cpuMs ? b : a));
}

function main(): void {
  const small = best(SMALL);
  const full = best(ITERATIONS);
  const total = full.decideMs + full.replayMs + full.hashMs;
  const growth = full.cpuMs / ITERATIONS / (small.cpuMs / SMALL);
  process.stdout.write(
    `BENCH ${JSON.stringify({
      bench: 'long_loop',
      iterations: ITERATIONS,
      events: full.events,
      decide_ms: Math.round(full.decideMs),
      replay_ms: Math.round(full.replayMs),
      hash_ms: Math.round(full.hashMs),
      total_ms: Math.round(total),
      cpu_ms: Math.round(full.cpuMs),
      iterations_per_s: Math.round(ITERATIONS / (full.decideMs / 1000)),
      per_iteration_growth: round(growth, 2),
      small_iterations: SMALL,
      target_total_cpu_ms: TARGET_MS,
      met: full.cpuMs <= TARGET_MS,
      load_avg_1m: round(os.loadavg()[0]!),
      cpus: os.cpus().length,
      node: process.version,
    })}\n`,
  );
}

main();
