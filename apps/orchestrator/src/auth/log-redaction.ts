/**
 * pino's `redact` option for every logger of the orchestrator: the credentials a request carries
 * never reach a log line, whatever logs the request (pino-http's `req`, an error with headers).
 */
export const LOG_REDACTION = {
  paths: [
    'req.headers.authorization',
    'req.headers["x-authorization"]',
    'req.headers.cookie',
    'headers.authorization',
    'headers["x-authorization"]',
    'headers.cookie',
  ],
  censor: '[redacted]',
} as const;
