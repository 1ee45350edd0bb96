import type { AppendRequest, AppendResult, EventStore } from '@app/event-store';

interface Queued {
  readonly request: AppendRequest;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: appends requested during one turn of the event loop go to the store together
 * (`appendMany`, one commit for all), each still with its own expected revision and outcome.
 * Stores without `appendMany` get the appends one by one, concurrently.
 */
export class AppendBatcher {
  private queue: Queued[] = [];
  private scheduled = false;

  constructor(private readonly store: EventStore) {}

  append(request: AppendRequest): Promise<AppendResult> {
    if (!this.store.appendMany) return this.store.appendToStream(request.streamName, request.events, { expectedRevision: request.expectedRevision });
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    try {
      const outcomes = await this.store.appendMany!(batch.map((queued) => queued.request));
      outcomes.forEach((outcome, i) => (outcome.ok ? batch[i]!.resolve(outcome.result) : batch[i]!.reject(outcome.error)));
    } catch (error) {
      for (const queued of batch) queued.reject(error);
    }
  }
}
