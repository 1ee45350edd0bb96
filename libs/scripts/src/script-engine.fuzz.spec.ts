import fc from 'fast-check';
import { dangerousNames, hostFunctions, hostSnapshot, input, isPlainData, program } from '@app/testing/fuzz/script-programs';
import { ScriptEngine } from './script-engine';

/**
 * Property-based companion of script-engine.spec.ts for INLINE and LAMBDA scripts (QuickJS):
 * random hostile programs over random inputs never throw out of `evaluate`, end by their time
 * limit, return plain data, reach no host object, and leave the host and the next script clean.
 */

const LIMITS = { timeoutMs: 250, memoryBytes: 8 * 1024 * 1024, stackBytes: 256 * 1024 };
/** The time limit plus what a loaded machine may add around it. */
const WALL_CLOCK_BOUND_MS = 3_000;

describe('ScriptEngine fuzz: random programs over random inputs', () => {
  let engine: ScriptEngine;
  const before = hostSnapshot();

  beforeAll(async () => {
    engine = await ScriptEngine.load(LIMITS);
  });

  afterEach(() => {
    expect(hostSnapshot()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect([Object.prototype.toString, Object.prototype.hasOwnProperty, Array.prototype.map, Function.prototype.call, JSON.parse, Math.max]).toEqual(hostFunctions);
  });

  it('given any program and input, in either mode, when evaluated, then the outcome is plain data or a failure of a known kind, within the time limit, with the input untouched', async () => {
    const seen = { ok: 0, error: 0, timeout: 0, memory: 0 };
    await fc.assert(
      fc.asyncProperty(program, input, fc.constantFrom('script' as const, 'function-body' as const), async (source, $, mode) => {
        const bound = { $: $ } as Record<string, unknown>;
        const inputBefore = JSON.stringify(bound);
        const started = performance.now();

        const outcome = await engine.evaluate(source, bound, mode);

        expect(performance.now() - started).toBeLessThan(WALL_CLOCK_BOUND_MS);
        expect(JSON.stringify(bound)).toBe(inputBefore);
        if (outcome.ok) {
          seen.ok++;
          expect(outcome.result === undefined || isPlainData(outcome.result)).toBe(true);
        } else {
          seen[outcome.kind]++;
          expect(['error', 'timeout', 'memory']).toContain(outcome.kind);
          expect(typeof outcome.message).toBe('string');
        }
      }),
      { numRuns: 600 },
    );
    expect(seen.ok).toBeGreaterThan(10);
    expect(seen.error).toBeGreaterThan(10);
    expect(seen.timeout + seen.memory).toBeGreaterThan(0);
  });

  it('given any dangerous name probed after any program, then it is no host object and the next script starts clean', async () => {
    const hostOnly = dangerousNames.filter((candidate) => ['process', 'require', 'module', 'exports', 'Buffer', 'setTimeout', 'global', 'import'].includes(candidate));
    await fc.assert(
      fc.asyncProperty(program, fc.constantFrom(...hostOnly), async (source, probe) => {
        await engine.evaluate(source, {});

        const seenFromScript = await engine.evaluate(`[typeof ${probe === 'import' ? 'undefined' : probe}, typeof ({}).polluted, Object.keys(Object.prototype).length]`, {});

        expect(seenFromScript).toEqual({ ok: true, result: ['undefined', 'undefined', 0] });
      }),
      { numRuns: 200 },
    );
  });
});
