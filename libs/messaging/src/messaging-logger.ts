/**
 * What the messaging library logs through. Nest's `Logger` and pino-style loggers fit as they are.
 *
 * @example
 * new JetStreamConsumer(nc, { ...options, logger: new Logger('Results') }, handler);
 */
export interface MessagingLogger {
  log(message: string, ...context: unknown[]): void;
  warn(message: string, ...context: unknown[]): void;
  error(message: string, ...context: unknown[]): void;
  debug?(message: string, ...context: unknown[]): void;
}

/** Warnings and errors to stderr, nothing else: a library should not chat on stdout by default. */
export const consoleMessagingLogger: MessagingLogger = {
  log: () => undefined,
  warn: (message, ...context) => console.warn(message, ...context),
  error: (message, ...context) => console.error(message, ...context),
};

/** Message of an unknown thrown value, for logs and headers. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return String(error);
}
