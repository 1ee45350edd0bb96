import { subWorkflow, wait, workflow } from '@app/domain';
import { waitFor } from '@app/testing/wait-for';
import { register } from './support/flows';
import { resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';

interface Summary {
  workflowId: string;
  status: string;
}

/** The default of BATON_MAX_SUBWORKFLOW_DEPTH: a root and 32 nested children. */
const CHAIN = 33;

/**
 * Issue 7, defect 6: a self-recursive SUB_WORKFLOW grows only as deep as the nesting limit, and
 * terminating a root terminates every descendant, also across a crash of the orchestrator.
 */
describe('SUB_WORKFLOW nesting is bounded and terminating a root reaches every descendant', () => {
  let orchestrator: OrchestratorProcess;
  let restarted: OrchestratorProcess | undefined;
  const dataDir = tempDir('sub-workflow-nesting');

  beforeAll(async () => {
    await resetBatonStreams();
    orchestrator = await startOrchestrator({ dataDir });
    await register(orchestrator.api, [], [
      // Starts itself until the nesting limit fails the deepest SUB_WORKFLOW task.
      workflow('recursive').tasks(subWorkflow('again', 'recursive')).build(),
      // Starts itself as an optional task, then waits: a chain as deep as the limit, all running.
      workflow('nesting').tasks({ ...subWorkflow('deeper', 'nesting'), optional: true }, wait('hold')).build(),
    ]);
  });

  afterAll(async () => {
    await stopAll([orchestrator?.handle, restarted?.handle]);
  });

  /** Starts a workflow with its own correlation id, which every descendant inherits. */
  async function startChain(api: OrchestratorProcess['api'], name: string, correlationId: string): Promise<string> {
    return api.expectOk('POST', '/api/workflow', { name, correlationId, input: {} });
  }

  /** Every execution of a chain, from the search index (children share the root's correlation id). */
  async function chainOf(api: OrchestratorProcess['api'], correlationId: string): Promise<Summary[]> {
    const found = (await api.request('GET', `/api/workflow/search?query=correlationId%3D${correlationId}&size=1000`)).json() as { results: Summary[] };
    return found.results;
  }

  /** Waits until the chain has `count` executions, all with `status`; returns them. */
  function chainSettles(api: OrchestratorProcess['api'], correlationId: string, count: number, status: string): Promise<Summary[]> {
    return waitFor(`${count} executions of ${correlationId} ${status}`, async () => {
      const chain = await chainOf(api, correlationId);
      return chain.length === count && chain.every((execution) => execution.status === status) ? chain : undefined;
    }, { timeoutMs: 90_000, intervalMs: 250 });
  }

  it('given a workflow that starts itself, when run, then 33 executions (the root and 32 nested children) exist and all end FAILED', async () => {
    const rootId = await startChain(orchestrator.api, 'recursive', 'recursive-1');

    const chain = await chainSettles(orchestrator.api, 'recursive-1', CHAIN, 'FAILED');

    expect(chain.map((execution) => execution.workflowId)).toContain(rootId);
    const root = await orchestrator.api.workflow(rootId);
    expect(root.status).toBe('FAILED');
    expect((await chainOf(orchestrator.api, 'recursive-1')).length).toBe(CHAIN);
  });

  it('given a self-recursive workflow still growing, when its root is terminated, then no execution of it is left running', async () => {
    const rootId = await startChain(orchestrator.api, 'recursive', 'recursive-2');
    await waitFor('the chain to grow', async () => (await chainOf(orchestrator.api, 'recursive-2')).length >= 3);
    expect((await orchestrator.api.request('DELETE', `/api/workflow/${rootId}?reason=stop`)).status).toBe(200);

    const ended = await waitFor('every execution of the chain to end', async () => {
      const chain = await chainOf(orchestrator.api, 'recursive-2');
      return chain.every((execution) => execution.status !== 'RUNNING') ? chain : undefined;
    }, { timeoutMs: 90_000, intervalMs: 250 });
    expect(ended.length).toBeLessThanOrEqual(CHAIN);
    // The cascade reached the chain while it grew: whatever ended after the root ended TERMINATED.
    expect(ended.find((execution) => execution.workflowId === rootId)?.status).toBe('TERMINATED');
  });

  it('given a chain of 33 running executions, when the root is terminated and the orchestrator is killed right after, then after a restart every descendant is TERMINATED', async () => {
    const rootId = await startChain(orchestrator.api, 'nesting', 'nesting-1');
    await chainSettles(orchestrator.api, 'nesting-1', CHAIN, 'RUNNING');

    expect((await orchestrator.api.request('DELETE', `/api/workflow/${rootId}?reason=stop`)).status).toBe(200);
    await orchestrator.handle.kill9();
    restarted = await startOrchestrator({ dataDir, port: orchestrator.port, name: 'orchestrator-2' });

    await chainSettles(restarted.api, 'nesting-1', CHAIN, 'TERMINATED');
  });
});
