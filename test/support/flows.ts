import type { TaskDef, WorkflowDef } from '@app/domain';
import type { BatonApi, HistoryEntry } from './baton-api';
import { waitFor } from '@app/testing/wait-for';

/** Registers task definitions and workflows for a test. */
export async function register(api: BatonApi, taskDefs: readonly TaskDef[], workflows: readonly WorkflowDef[]): Promise<void> {
  if (taskDefs.length > 0) await api.expectOk('POST', '/api/metadata/taskdefs', taskDefs);
  for (const definition of workflows) await api.expectOk('PUT', '/api/metadata/workflow', [definition]);
}

/** Starts an execution of a workflow by name; returns its id. */
export function start(api: BatonApi, name: string, input: Record<string, unknown> = {}): Promise<string> {
  return api.expectOk('POST', `/api/workflow/${name}`, input);
}

/** Waits until an execution has the given status; returns its Conductor view. */
export async function waitForStatus(api: BatonApi, id: string, status: string, timeoutMs = 30_000) {
  return waitFor(`execution ${id} to be ${status}`, async () => {
    const workflow = await api.workflow(id);
    return workflow.status === status ? workflow : undefined;
  }, { timeoutMs });
}

/** The events of a history of one type, in order. */
export function eventsOf(history: readonly HistoryEntry[], type: string): HistoryEntry[] {
  return history.filter((event) => event.type === type);
}
