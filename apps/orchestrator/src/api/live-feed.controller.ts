import { Controller, Query, Sse, type MessageEvent } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { LiveFeed, type ExecutionChange } from '../live/live-feed';
import { RequestValidationError } from './api-exception.filter';
import { Roles } from '../auth/roles';

/** Changes sent to a client at most this often: a busy orchestrator sends one message per window, not one per event. */
export const LIVE_WINDOW_MS = 250;
/** Most changes in one message; beyond it the message says `overflow` and a client reads everything again. */
export const LIVE_MAX_CHANGES = 200;
const KEEPALIVE_MS = 15_000;

/**
 * **Baton** `GET /api/live`: server-sent events fed from the log. Every committed batch of the
 * read-model projection (every replica's events) becomes `changes` messages naming the executions
 * that changed; a client reads the execution or its search again. Not a replay: a client that
 * reconnects reads the current state, then listens.
 */
@ApiTags('console')
@Controller('api/live')
export class LiveFeedController {
  constructor(private readonly feed: LiveFeed) {}

  @Roles('reader')
  @Sse()
  @ApiOperation({ summary: 'Server-sent events: `ready` once, then `changes` ({ changes: [{ executionId, revision, types, status?, workflowName? }], overflow }) at most every 250 ms, `ping` every 15 s' })
  @ApiQuery({ name: 'executionId', required: false, description: 'only changes of this execution' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'Server-sent events, one per change of an execution', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  live(@Query('executionId') executionId?: unknown): Observable<MessageEvent> {
    if (executionId !== undefined && (typeof executionId !== 'string' || executionId.length === 0 || executionId.length > 256)) {
      throw new RequestValidationError([{ path: 'executionId', message: 'executionId must be one execution id of 1 to 256 characters' }]);
    }
    const only = executionId as string | undefined;
    return new Observable<MessageEvent>((subscriber) => {
      let pending = new Map<string, ExecutionChange>();
      let overflow = false;
      let timer: NodeJS.Timeout | undefined;
      const flush = () => {
        timer = undefined;
        const changes = [...pending.values()];
        subscriber.next({ type: 'changes', data: { changes, overflow } });
        pending = new Map();
        overflow = false;
      };
      const stop = this.feed.listen(
        (changes) => {
          for (const change of changes) {
            if (only !== undefined && change.executionId !== only) continue;
            if (pending.size >= LIVE_MAX_CHANGES && !pending.has(change.executionId)) overflow = true;
            else pending.set(change.executionId, mergeChange(pending.get(change.executionId), change));
          }
          if ((pending.size > 0 || overflow) && timer === undefined) timer = setTimeout(flush, LIVE_WINDOW_MS);
        },
        () => subscriber.complete(),
      );
      const keepalive = setInterval(() => subscriber.next({ type: 'ping', data: {} }), KEEPALIVE_MS);
      subscriber.next({ type: 'ready', data: { windowMs: LIVE_WINDOW_MS, ...(only ? { executionId: only } : {}) } });
      return () => {
        stop();
        clearInterval(keepalive);
        if (timer) clearTimeout(timer);
      };
    });
  }
}

/** Two changes of one execution within a window: the later revision, every type, the latest status. */
function mergeChange(earlier: ExecutionChange | undefined, later: ExecutionChange): ExecutionChange {
  if (!earlier) return later;
  const status = later.status ?? earlier.status;
  const workflowName = later.workflowName ?? earlier.workflowName;
  return {
    executionId: later.executionId,
    revision: later.revision,
    types: [...new Set([...earlier.types, ...later.types])],
    ...(status ? { status } : {}),
    ...(workflowName ? { workflowName } : {}),
  };
}
