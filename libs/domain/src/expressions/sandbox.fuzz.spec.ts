import fc from 'fast-check';
import { hostFunctions, hostSnapshot, input, isPlainData, program } from '@app/testing/fuzz/script-programs';
import { evaluateExpression, ExpressionError } from './index';

/**
 * Property-based companion of sandbox.spec.ts: random programs, biased towards the pieces escapes
 * are made of, over random inputs. Whatever they do, an evaluation returns plain data or raises an
 * ExpressionError, ends within the step budget, and leaves no trace on the host.
 */

const STEP_BUDGET = 5_000;
/** Far above what STEP_BUDGET steps take, far below a hang; generous for a loaded machine. */
const WALL_CLOCK_BOUND_MS = 2_000;

describe('sandbox fuzz: random programs over random inputs', () => {
  const before = hostSnapshot();

  afterEach(() => {
    expect(hostSnapshot()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect([Object.prototype.toString, Object.prototype.hasOwnProperty, Array.prototype.map, Function.prototype.call, JSON.parse, Math.max]).toEqual(hostFunctions);
  });

  it('given any program and input, when evaluated, then it returns plain data or raises an ExpressionError, within the step bound, leaving the input and the host untouched', () => {
    const seen = { value: 0, syntax: 0, runtime: 0, forbidden: 0, limit: 0 };
    fc.assert(
      fc.property(program, input, (source, $) => {
        const inputBefore = JSON.stringify($);
        const started = performance.now();
        let outcome: 'value' | 'error';
        try {
          const value = evaluateExpression(source, { $ }, { maxSteps: STEP_BUDGET });
          outcome = 'value';
          seen.value++;
          expect(isPlainData(value)).toBe(true);
        } catch (error) {
          outcome = 'error';
          if (!(error instanceof ExpressionError)) throw new Error(`${String(error)} escaped the evaluator for: ${source}`);
          expect(['syntax', 'runtime', 'forbidden', 'limit']).toContain(error.kind);
          seen[error.kind]++;
        }
        expect(performance.now() - started).toBeLessThan(WALL_CLOCK_BOUND_MS);
        expect(JSON.stringify($)).toBe(inputBefore);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(typeof (globalThis as Record<string, unknown>).polluted).toBe('undefined');
        return outcome === 'value' || outcome === 'error';
      }),
      { numRuns: 2_000 },
    );
    // The generator reaches every outcome, so the properties above were checked on running scripts too.
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(20);
  });

  it('given escape chains assembled at run time, when evaluated, then none reaches a host function or process', () => {
    const base = fc.constantFrom("''", '[]', '$', '(() => 1)', 'Math.max', 'JSON', '({})', '(1)', 'true', '[].map', 'Object', 'String');
    const hop = fc.constantFrom('constructor', '__proto__', 'prototype', 'caller', 'callee', 'call', 'apply', 'bind', 'getPrototypeOf');
    /** One step of the chain, spelled as a dot, a quoted key, or a key assembled from two halves. */
    const step = fc.tuple(hop, fc.constantFrom('dot', 'quoted', 'assembled')).map(([h, spelling]) => {
      if (spelling === 'dot') return `.${h}`;
      if (spelling === 'quoted') return `['${h}']`;
      const cut = Math.ceil(h.length / 2);
      return `['${h.slice(0, cut)}' + '${h.slice(cut)}']`;
    });
    const chain = fc
      .tuple(base, fc.array(step, { minLength: 1, maxLength: 4 }), fc.constantFrom('', "('return process')()", '.call(null, 1)', ".polluted = 'yes'"))
      .map(([start, steps, tail]) => `${start}${steps.join('')}${tail}`);

    fc.assert(
      fc.property(chain, (source) => {
        try {
          const value = evaluateExpression(source, { $: { a: 1 } }, { maxSteps: STEP_BUDGET });
          expect(isPlainData(value)).toBe(true);
        } catch (error) {
          if (!(error instanceof ExpressionError)) throw new Error(`${String(error)} escaped the evaluator for: ${source}`);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
