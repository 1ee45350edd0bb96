import { JqEngine } from './jq-engine';

let jq: JqEngine;
beforeAll(() => {
  jq = new JqEngine({ timeoutMs: 2_000, memoryBytes: 64 * 1024 * 1024 });
});
afterAll(() => jq.close());

describe('JqEngine', () => {
  it.each([
    ['one value', '.a + 1', { a: 1 }, [2]],
    ['every value a stream emits', '.items[] | .price', { items: [{ price: 2 }, { price: 3.5 }] }, [2, 3.5]],
    ['objects and strings with newlines', '{ k: (.s + "\\n") }', { s: 'x' }, [{ k: 'x\n' }]],
    ['jq 1.7 builtins', 'pick(.a.b)', { a: { b: 1, c: 2 } }, [{ a: { b: 1 } }]],
    ['no output', 'empty', {}, []],
    ['null input', '.', null, [null]],
  ])('given %s, then the results are returned in order', async (_what, query, input, results) => {
    await expect(jq.run(query, input)).resolves.toEqual({ ok: true, results });
  });

  it('given a query that does not compile, then the outcome holds jq\'s message', async () => {
    await expect(jq.run('.a | nosuchfn', {})).resolves.toEqual({ ok: false, kind: 'error', message: expect.stringContaining('nosuchfn/0 is not defined') });
  });

  it('given a runtime error, then the outcome holds it and the engine keeps working', async () => {
    await expect(jq.run('error("boom")', {})).resolves.toEqual({ ok: false, kind: 'error', message: expect.stringContaining('boom') });
    await expect(jq.run('.x', { x: 1 })).resolves.toEqual({ ok: true, results: [1] });
  });

  it('given a query that never ends, then it is stopped at its deadline and the next query runs on a fresh worker', async () => {
    const started = Date.now();
    await expect(jq.run('def f: f; f', {})).resolves.toMatchObject({ ok: false, kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(jq.run('.x', { x: 2 })).resolves.toEqual({ ok: true, results: [2] });
  });

  it('given a query that allocates without end, then it fails (memory or time) and the engine keeps working', async () => {
    await expect(jq.run('[range(1e9)] | length', {})).resolves.toMatchObject({ ok: false, kind: expect.stringMatching(/memory|timeout/) });
    await expect(jq.run('.x', { x: 3 })).resolves.toEqual({ ok: true, results: [3] });
  });

  it('given queries sent at once, then each gets its own result', async () => {
    const outcomes = await Promise.all([1, 2, 3].map((n) => jq.run('. * 10', n)));
    expect(outcomes).toEqual([10, 20, 30].map((value) => ({ ok: true, results: [value] })));
  });
});
