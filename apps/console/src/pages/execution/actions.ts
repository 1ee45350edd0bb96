import { api } from '../../api/client';

const id = (executionId: string) => encodeURIComponent(executionId);

/** The operator controls at Conductor's paths; each stores an event in the execution's history. */
export const controls = {
  pause: (executionId: string) => api.put(`/api/workflow/${id(executionId)}/pause`),
  resume: (executionId: string) => api.put(`/api/workflow/${id(executionId)}/resume`),
  terminate: (executionId: string, reason: string) => api.delete(`/api/workflow/${id(executionId)}?reason=${encodeURIComponent(reason || 'terminated from the console')}`),
  retry: (executionId: string) => api.post(`/api/workflow/${id(executionId)}/retry`),
  restart: (executionId: string, useLatest: boolean) => api.post(`/api/workflow/${id(executionId)}/restart?useLatestDefinitions=${useLatest}`),
  rerun: (executionId: string, fromTaskId: string, taskInput?: Record<string, unknown>) =>
    api.post(`/api/workflow/${id(executionId)}/rerun`, { reRunFromTaskId: fromTaskId, ...(taskInput ? { taskInput } : {}) }),
  skip: (executionId: string, ref: string) => api.put(`/api/workflow/${id(executionId)}/skiptask/${encodeURIComponent(ref)}`, {}),
  completeWait: (executionId: string, ref: string, output: Record<string, unknown>) => api.post(`/api/tasks/${id(executionId)}/${encodeURIComponent(ref)}/COMPLETED`, output),
};

/** JSON typed in a dialog: an object, or an error naming what is wrong. */
export function parseObject(text: string, field: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${field} is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${field} must be a JSON object`);
  return value as Record<string, unknown>;
}
