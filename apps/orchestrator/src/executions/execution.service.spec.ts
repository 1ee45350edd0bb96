import { executionStream, simple, workflow } from '@app/domain';
import { InMemoryEventStore } from '@app/event-store';
import { commandCore, register, type CommandCore } from '../testing/command-core';
import { idempotencyStream } from './idempotency.service';
import { IdempotencyConflictError } from './orchestrator.errors';

const oneStep = workflow('one_step').tasks(simple('a', 'a')).build();
const api = { causationId: 'http:1', actor: 'api:test' };
const startWith = (core: CommandCore, key: string, strategy?: 'FAIL' | 'RETURN_EXISTING' | 'FAIL_ON_RUNNING') =>
  core.executions.start({ name: 'one_step', idempotencyKey: key, ...(strategy ? { idempotencyStrategy: strategy } : {}) }, api);

async function claims(core: CommandCore, key: string): Promise<string[]> {
  const events = await core.store.readStream(idempotencyStream('one_step', key));
  return events.map((event) => (event.data as { executionId: string }).executionId);
}

/** Starts with an idempotency key: the claim (a `no_stream` append), its strategies, and the reclaim of a key whose execution ended. */
describe('ExecutionService.start with an idempotency key (in process)', () => {
  let core: CommandCore;

  beforeEach(async () => {
    core = commandCore(new InMemoryEventStore());
    await register(core, [oneStep]);
  });

  it('given a new key, when an execution starts, then the key is claimed for it', async () => {
    const { executionId, created } = await startWith(core, 'order-1');

    expect(created).toBe(true);
    expect(await claims(core, 'order-1')).toEqual([executionId]);
    expect((await core.executions.get(executionId)).idempotencyKey).toBe('order-1');
  });

  it('given a claimed key, when the same start comes again, then FAIL refuses it and RETURN_EXISTING returns the first execution', async () => {
    const first = await startWith(core, 'order-1');

    await expect(startWith(core, 'order-1', 'FAIL')).rejects.toBeInstanceOf(IdempotencyConflictError);
    await expect(startWith(core, 'order-1', 'RETURN_EXISTING')).resolves.toEqual({ executionId: first.executionId, created: false });
    expect(await claims(core, 'order-1')).toEqual([first.executionId]);
  });

  it('given a claimed key of a running execution, when FAIL_ON_RUNNING starts again, then it is refused', async () => {
    await startWith(core, 'order-1');

    await expect(startWith(core, 'order-1', 'FAIL_ON_RUNNING')).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT', details: expect.objectContaining({ existingStatus: 'RUNNING' }) });
  });

  it('given a claimed key whose execution ended, when FAIL_ON_RUNNING starts again, then the key is reclaimed for a new execution', async () => {
    const first = await startWith(core, 'order-1');
    await core.executions.terminate(first.executionId, 'done with it', api);

    const second = await startWith(core, 'order-1', 'FAIL_ON_RUNNING');

    expect(second.created).toBe(true);
    expect(second.executionId).not.toBe(first.executionId);
    expect(await claims(core, 'order-1')).toEqual([first.executionId, second.executionId]);
    expect((await core.executions.get(second.executionId)).status).toBe('RUNNING');
  });

  it('given a claim whose start never happened (a crash in between), when the start is repeated, then it finishes under the claimed id', async () => {
    await core.idempotency.claim('one_step', 'order-1', 'claimed-but-not-started', api);

    const { executionId, created } = await startWith(core, 'order-1', 'FAIL');

    expect({ executionId, created }).toEqual({ executionId: 'claimed-but-not-started', created: true });
    expect((await core.store.readStream(executionStream(executionId))).map((event) => event.type)).toContain('ExecutionStarted');
  });

  it('given two replicas reclaiming one ended key, then only the first moves it', async () => {
    const first = await startWith(core, 'order-1');
    const [claim] = await core.store.readStream(idempotencyStream('one_step', 'order-1'));

    expect(await core.idempotency.reclaim('one_step', 'order-1', 'replica-a', claim!.revision, api)).toBe(true);
    expect(await commandCore(core.store).idempotency.reclaim('one_step', 'order-1', 'replica-b', claim!.revision, api)).toBe(false);
    expect(await claims(core, 'order-1')).toEqual([first.executionId, 'replica-a']);
  });

  it('given two starts with one key at the same time, then one execution is created and RETURN_EXISTING hands the other its id', async () => {
    const replicaB = commandCore(core.store);
    await register(replicaB, [oneStep]);

    const [a, b] = await Promise.all([startWith(core, 'order-1', 'RETURN_EXISTING'), startWith(replicaB, 'order-1', 'RETURN_EXISTING')]);

    expect(a.executionId).toBe(b.executionId);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(await claims(core, 'order-1')).toEqual([a.executionId]);
  });
});
