import { randomUUID } from 'node:crypto';
import type { handleServerStreamingCall, ServerWritableStream } from '@grpc/grpc-js';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { isVisible, type EventLog, type StoredEvent } from './event-log.storage';
import { invalidArgument, streamDeletedError } from './rpc.errors';
import { eventReply, streamIdentifier, streamNameOf } from './wire.codec';

type ReadCall = ServerWritableStream<ReadReq, ReadResp>;

interface CompiledFilter {
  matches(event: StoredEvent): boolean;
  readonly checkpointInterval: number;
}

/** Default search window of EventStoreDB: checkpoints come every `multiplier × 32` considered events. */
const DEFAULT_SEARCH_WINDOW = 32;

/**
 * Writes to one call with back-pressure; closed when the client cancels or the server stops.
 * One wake-up slot serves both `drain` and new writes to the log.
 */
export class Outbox {
  closed = false;
  /** True while the reader does not keep up and the server waits for `drain`. */
  stalled = false;
  private wake?: () => void;

  constructor(private readonly call: ReadCall) {
    call.on('cancelled', () => this.close());
    call.on('error', () => this.close());
  }

  readonly signal = (): void => {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  };

  close(): void {
    this.closed = true;
    this.signal();
  }

  wait(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  async send(message: ReadResp): Promise<void> {
    if (this.closed || this.call.write(message)) return;
    let drained = false;
    const onDrain = () => {
      drained = true;
      this.signal();
    };
    this.call.once('drain', onDrain);
    this.stalled = true;
    while (!drained && !this.closed) await this.wait();
    this.stalled = false;
    this.call.removeListener('drain', onDrain);
  }
}

/** `Streams.Read`: reads of a stream or `$all`, and catch-up subscriptions to either. */
export function readHandler(log: EventLog, subscriptions: Set<Outbox>): handleServerStreamingCall<ReadReq, ReadResp> {
  return (call) => {
    const options = call.request.getOptions();
    if (!options) return void call.emit('error', invalidArgument('Read options are missing'));
    const outbox = new Outbox(call);
    const run = options.hasSubscription() ? subscribe(log, call, outbox, options, subscriptions) : read(log, call, outbox, options);
    run.catch((error: unknown) => call.emit('error', invalidArgument(error instanceof Error ? error.message : String(error))));
  };
}

function compileFilter(options: ReadReq.Options): CompiledFilter | undefined {
  const filter = options.getFilter();
  if (!filter) return undefined;
  const onStreamName = filter.hasStreamIdentifier();
  const expression = filter.getStreamIdentifier() ?? filter.getEventType();
  const prefixes = expression?.getPrefixList() ?? [];
  const regex = expression?.getRegex() ? new RegExp(expression.getRegex()) : undefined;
  const window = filter.hasMax() ? filter.getMax() : DEFAULT_SEARCH_WINDOW;
  return {
    checkpointInterval: Math.max(1, filter.getCheckpointintervalmultiplier()) * window,
    matches(event) {
      const value = onStreamName ? event.streamName : event.type;
      if (prefixes.length > 0) return prefixes.some((prefix) => value.startsWith(prefix));
      return regex ? regex.test(value) : true;
    },
  };
}

async function read(log: EventLog, call: ReadCall, outbox: Outbox, options: ReadReq.Options): Promise<void> {
  const structured = options.getUuidOption()?.hasStructured() ?? false;
  const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
  let remaining = options.hasCount() ? Number(options.getCount()) : Number.MAX_SAFE_INTEGER;
  const streamOptions = options.getStream();
  if (streamOptions) {
    const name = streamNameOf(streamOptions.getStreamIdentifier());
    const stream = log.stream(name);
    if (stream?.tombstoned) return void call.emit('error', streamDeletedError(name));
    if (!isVisible(stream)) {
      // Not an error on the wire: the call ends OK and the client raises StreamNotFoundError.
      await outbox.send(new ReadResp().setStreamNotFound(new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name))));
      return void call.end();
    }
    const last = stream.events.length - 1;
    const from = streamOptions.hasRevision() ? Number(streamOptions.getRevision()) : streamOptions.hasEnd() ? (backwards ? last : last + 1) : 0;
    if (backwards) {
      for (let revision = Math.min(from, last); revision >= stream.truncateBefore && remaining-- > 0 && !outbox.closed; revision--) {
        await outbox.send(eventReply(stream.events[revision]!, structured));
      }
    } else {
      for (let revision = Math.max(from, stream.truncateBefore); revision <= last && remaining-- > 0 && !outbox.closed; revision++) {
        await outbox.send(eventReply(stream.events[revision]!, structured));
      }
    }
    return void call.end();
  }
  const all = options.getAll();
  const filter = compileFilter(options);
  const position = all?.getPosition();
  if (backwards) {
    // Backwards from a position yields what lies strictly before it, as EventStoreDB does.
    let index = position ? log.lowerBound(Number(position.getCommitPosition())) - 1 : all?.hasStart() ? -1 : log.all.length - 1;
    for (; index >= 0 && remaining > 0 && !outbox.closed; index--) {
      const event = log.all[index]!;
      if (filter && !filter.matches(event)) continue;
      remaining--;
      await outbox.send(eventReply(event, structured));
    }
  } else {
    let index = position ? log.lowerBound(Number(position.getCommitPosition())) : all?.hasEnd() ? log.all.length : 0;
    for (; index < log.all.length && remaining > 0 && !outbox.closed; index++) {
      const event = log.all[index]!;
      if (filter && !filter.matches(event)) continue;
      remaining--;
      await outbox.send(eventReply(event, structured));
    }
  }
  call.end();
}

function checkpoint(positionText: string): ReadResp {
  return new ReadResp().setCheckpoint(new ReadResp.Checkpoint().setCommitPosition(positionText).setPreparePosition(positionText));
}

/** Confirmation → catch-up events → (checkpoint) → caught_up → live events, all from one cursor over the log. */
async function subscribe(log: EventLog, call: ReadCall, outbox: Outbox, options: ReadReq.Options, subscriptions: Set<Outbox>): Promise<void> {
  const structured = options.getUuidOption()?.hasStructured() ?? false;
  const streamOptions = options.getStream();
  const streamName = streamOptions ? streamNameOf(streamOptions.getStreamIdentifier()) : undefined;
  if (streamName !== undefined && log.stream(streamName)?.tombstoned) return void call.emit('error', streamDeletedError(streamName));
  const filter = streamOptions ? undefined : compileFilter(options);
  const all = options.getAll();

  let index: number;
  let lastConsidered: string | undefined;
  if (streamOptions) {
    const length = log.stream(streamName!)?.events.length ?? 0;
    index = streamOptions.hasRevision() ? Number(streamOptions.getRevision()) + 1 : streamOptions.hasEnd() ? length : 0;
  } else if (all?.hasPosition()) {
    // Exclusive start: events after the given position.
    const from = all.getPosition()!.getCommitPosition();
    index = log.lowerBound(Number(from));
    if (log.all[index]?.positionText === from) index++;
    lastConsidered = from;
  } else {
    index = all?.hasEnd() ? log.all.length : 0;
    if (all?.hasEnd() && log.all.length > 0) lastConsidered = log.all.at(-1)!.positionText;
  }

  subscriptions.add(outbox);
  const unsubscribe = log.onWrite(outbox.signal);
  try {
    await outbox.send(new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
    let live = false;
    let considered = 0;
    let lastCheckpoint: string | undefined;
    while (!outbox.closed) {
      if (streamName !== undefined) {
        const stream = log.stream(streamName);
        if (stream?.tombstoned) return void call.emit('error', streamDeletedError(streamName));
        const events = stream?.events ?? [];
        for (; index < events.length && !outbox.closed; index++) {
          if (index >= stream!.truncateBefore) await outbox.send(eventReply(events[index]!, structured));
        }
      } else {
        for (; index < log.all.length && !outbox.closed; index++) {
          const event = log.all[index]!;
          if (!filter || filter.matches(event)) await outbox.send(eventReply(event, structured));
          if (!filter) continue;
          lastConsidered = event.positionText;
          if (++considered >= filter.checkpointInterval) {
            considered = 0;
            lastCheckpoint = lastConsidered;
            await outbox.send(checkpoint(lastConsidered));
          }
        }
      }
      if (!live && !outbox.closed) {
        live = true;
        if (filter && lastConsidered !== undefined && lastConsidered !== lastCheckpoint) {
          considered = 0;
          await outbox.send(checkpoint(lastConsidered));
        }
        await outbox.send(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
      }
      const length = streamName !== undefined ? (log.stream(streamName)?.events.length ?? 0) : log.all.length;
      const tombstoned = streamName !== undefined && log.stream(streamName)?.tombstoned;
      if (index >= length && !tombstoned && !outbox.closed) await outbox.wait();
    }
  } finally {
    unsubscribe();
    subscriptions.delete(outbox);
  }
}
