import type { IncomingHttpHeaders } from 'node:http';

/**
 * The token a request presents: `Authorization: Bearer <token>`, or Conductor's
 * `X-Authorization: <token>` (what Conductor's SDKs send); undefined when neither is there.
 */
export function presentedToken(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization !== '') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match ? match[1] : '';
  }
  const conductor = headers['x-authorization'];
  if (typeof conductor === 'string' && conductor !== '') return conductor.replace(/^Bearer\s+/i, '').trim();
  return undefined;
}
