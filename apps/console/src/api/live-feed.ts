import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { authHeaders } from './auth';
import type { ExecutionChange } from './types';

export type LiveState = 'connecting' | 'live' | 'offline';

export interface LiveMessage {
  readonly changes: readonly ExecutionChange[];
  /** More changed than one message holds: read everything again. */
  readonly overflow: boolean;
}

/**
 * Follows `GET /api/live` (server-sent events) over fetch, so the bearer token goes in the
 * Authorization header as for every other call (EventSource cannot send headers). Reconnects with
 * a growing delay (1 s to 15 s) while the page is open; after a reconnect, `onMessage` gets an
 * overflow so the pages read again what they missed.
 */
export function followLiveFeed(onMessage: (message: LiveMessage) => void, onState: (state: LiveState) => void): () => void {
  let stopped = false;
  let controller: AbortController | undefined;
  let retryMs = 1_000;
  let connectedBefore = false;

  const connect = async () => {
    while (!stopped) {
      controller = new AbortController();
      onState('connecting');
      try {
        const response = await fetch('/api/live', { headers: { accept: 'text/event-stream', ...authHeaders() }, signal: controller.signal, cache: 'no-store' });
        if (!response.ok || !response.body) throw new Error(`live feed answered ${response.status}`);
        const parser = createParser({
          onEvent: (event: EventSourceMessage) => {
            if (event.event === 'ready') {
              onState('live');
              retryMs = 1_000;
              if (connectedBefore) onMessage({ changes: [], overflow: true });
              connectedBefore = true;
            } else if (event.event === 'changes') {
              onMessage(JSON.parse(event.data) as LiveMessage);
            }
          },
        });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parser.feed(value);
        }
      } catch {
        // offline, refused, or aborted: wait and try again
      }
      if (stopped) return;
      onState('offline');
      await new Promise((resolve) => setTimeout(resolve, retryMs));
      retryMs = Math.min(retryMs * 2, 15_000);
    }
  };
  void connect();
  return () => {
    stopped = true;
    controller?.abort();
  };
}
