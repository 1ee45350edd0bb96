import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseRpcExceptionFilter } from '@nestjs/microservices';
import { throwError, type Observable } from 'rxjs';
import { JetStreamMessageContext } from './message.context';

/**
 * Lets a handler's original error reach {@link JetStreamTransport}, so its `retryable` flag and
 * `code` decide between redelivery and dead-lettering. Without it Nest replaces every error that
 * is not an `RpcException` with "Internal server error", which the transport can only treat as
 * retryable. Errors of other transports get Nest's usual treatment.
 *
 * @example
 * ```ts
 * const app = await NestFactory.createMicroservice(AppModule, { strategy: new JetStreamTransport() });
 * app.useGlobalFilters(new JetStreamExceptionFilter());
 * ```
 */
@Catch()
export class JetStreamExceptionFilter extends BaseRpcExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): Observable<unknown> {
    if (host.getType() === 'rpc' && host.switchToRpc().getContext() instanceof JetStreamMessageContext) {
      return throwError(() => exception);
    }
    return super.catch(exception, host);
  }
}
