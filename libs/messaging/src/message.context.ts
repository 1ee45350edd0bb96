import type { JsMsg, MsgHdrs } from 'nats';
import { Headers } from './contract/subjects';

/**
 * What a handler knows about the JetStream message it is processing. Passed as the second
 * argument to consumer handlers, and as the `@Ctx()` of `@EventPattern` methods.
 *
 * @example
 * ```ts
 * @EventPattern('baton.result.>', { durable: 'baton-orchestrator-results', stream: 'BATON_RESULTS' })
 * onResult(@Payload() result: TaskResultMessage, @Ctx() ctx: JetStreamMessageContext) {
 *   if (ctx.deliveryCount > 1) this.logger.debug(`redelivery of ${ctx.subject} #${ctx.streamSequence}`);
 * }
 * ```
 */
export class JetStreamMessageContext {
  constructor(
    /** The raw nats.js message; acking it yourself bypasses the consumer's outcome handling. */
    readonly message: JsMsg,
    readonly stream: string,
    readonly durable: string,
  ) {}

  get subject(): string {
    return this.message.subject;
  }

  get headers(): MsgHdrs | undefined {
    return this.message.headers;
  }

  /** Sequence of the message in its stream. */
  get streamSequence(): number {
    return this.message.seq;
  }

  /** 1 on the first delivery. */
  get deliveryCount(): number {
    return this.message.info.deliveryCount;
  }

  get msgId(): string | undefined {
    return this.message.headers?.get(Headers.MsgId) || undefined;
  }

  get traceparent(): string | undefined {
    return this.message.headers?.get(Headers.TraceParent) || undefined;
  }

  /** Resets the ack timer: call it from handlers that may run longer than the consumer's ack wait. */
  working(): void {
    this.message.working();
  }

  /** Nest's RPC context shape, so `ExecutionContext.switchToRpc()` users can read the arguments. */
  getArgs(): [JsMsg, string, string] {
    return [this.message, this.stream, this.durable];
  }

  getArgByIndex(index: number): unknown {
    return this.getArgs()[index];
  }

  getSubject(): string {
    return this.subject;
  }

  getHeaders(): MsgHdrs | undefined {
    return this.headers;
  }
}
