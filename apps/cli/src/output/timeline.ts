import type { HistoryEvent } from '@app/client';
import { compact } from './format';

/** One line of an execution's timeline: what happened, to what, and who or what caused it. */
export interface TimelineEntry {
  readonly revision: string;
  readonly recorded: string;
  readonly type: string;
  readonly what: string;
  readonly actor: string;
  readonly cause: string;
}

/** An execution's history as a readable timeline (task ids resolved to reference names). */
export function timelineOf(history: readonly HistoryEvent[]): TimelineEntry[] {
  const refs = new Map<string, string>();
  return history.map((event) => {
    const data = event.data;
    if (event.type === 'TaskScheduled') refs.set(String(data['taskId']), String(data['taskRefName']));
    return {
      revision: event.revision,
      recorded: event.created,
      type: event.type,
      what: describe(event.type, data, refs),
      actor: actorLabel(event.metadata),
      cause: event.metadata.causationId ?? '',
    };
  });
}

/** Who caused an event: the authenticated actor, the worker id it reported, and the unauthenticated client name (marked so). */
function actorLabel(metadata: HistoryEvent['metadata']): string {
  const worker = typeof metadata['workerId'] === 'string' ? ` · worker ${metadata['workerId']}` : '';
  const client = typeof metadata['client'] === 'string' ? ` · via ${metadata['client']} (unverified)` : '';
  return `${metadata.actor ?? ''}${worker}${client}`;
}

function describe(type: string, data: Record<string, unknown>, refs: ReadonlyMap<string, string>): string {
  const task = (): string => refs.get(String(data['taskId'])) ?? String(data['taskId'] ?? '');
  const reason = data['reason'] !== undefined ? `: ${compact(data['reason'], 60)}` : '';
  switch (type) {
    case 'ExecutionStarted': {
      const definition = data['definition'] as { name?: string; version?: number } | undefined;
      return `${definition?.name ?? '?'} v${definition?.version ?? 1} input ${compact(data['input'], 60)}`;
    }
    case 'TaskScheduled':
      return `${String(data['taskRefName'])} (${String(data['taskType'])}) attempt ${String(data['attempt'])}`;
    case 'TaskCompleted':
    case 'TaskSkipped':
      return `${task()} → ${compact(data['output'], 60)}`;
    case 'TaskProgressReported':
      return `${task()} in progress${data['workerId'] ? ` on ${String(data['workerId'])}` : ''}`;
    case 'TaskFailed':
      return `${task()}${data['terminal'] ? ' (terminal)' : ''}${reason}`;
    case 'TaskTimedOut':
    case 'TaskCanceled':
    case 'TaskThrottled':
    case 'TaskDispatched':
    case 'TimeoutAlerted':
      return `${task()}${reason}`;
    case 'TimerStarted': {
      const purpose = data['purpose'] as { kind?: string; taskId?: string } | undefined;
      return `${String(data['timerId'])} ${purpose?.kind ?? ''}${purpose?.taskId ? ` of ${refs.get(purpose.taskId) ?? purpose.taskId}` : ''} due ${new Date(Number(data['dueAt'])).toISOString()}`;
    }
    case 'TimerFired':
      return String(data['timerId']);
    case 'SignalReceived':
      return `${String(data['taskRefName'])} ${String(data['status'])} (kept until it is reached)`;
    case 'ExecutionCompleted':
      return `output ${compact(data['output'], 60)}`;
    default:
      return reason ? reason.slice(2) : compact(Object.fromEntries(Object.entries(data).filter(([key]) => key !== 'at')), 70);
  }
}
