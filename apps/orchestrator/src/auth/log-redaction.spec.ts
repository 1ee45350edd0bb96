import { Writable } from 'node:stream';
import pino from 'pino';
import { LOG_REDACTION } from './log-redaction';

describe('log redaction', () => {
  it('never writes the credentials of a request', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    const logger = pino({ redact: { paths: [...LOG_REDACTION.paths], censor: LOG_REDACTION.censor } }, sink);
    const headers = { authorization: 'Bearer secret-1', 'x-authorization': 'secret-2', cookie: 'baton=secret-3', 'x-request-id': 'req-9' };
    logger.info({ req: { method: 'GET', url: '/api/workflow', headers } }, 'request');
    logger.error({ headers }, 'failed');
    const written = lines.join('');
    expect(written).not.toMatch(/secret-[123]/);
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ req: expect.objectContaining({ headers: { authorization: '[redacted]', 'x-authorization': '[redacted]', cookie: '[redacted]', 'x-request-id': 'req-9' } }) }),
      expect.objectContaining({ headers: { authorization: '[redacted]', 'x-authorization': '[redacted]', cookie: '[redacted]', 'x-request-id': 'req-9' } }),
    ]);
  });
});
