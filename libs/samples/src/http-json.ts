import http from 'node:http';

/** A JSON-over-HTTP response. */
export interface HttpResponse {
  readonly status: number;
  readonly text: string;
}

/**
 * One keep-alive connection pool per process: a burst of requests reuses a bounded set of
 * sockets instead of opening hundreds of new ones at once (which stalled requests for seconds
 * under load in the benchmark).
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(process.env.BATON_HTTP_MAX_SOCKETS ?? 32) });

/**
 * Sends an HTTP request with an optional JSON (or raw string) body; resolves with status and text.
 *
 * @example
 * const { status, text } = await httpRequest('POST', 'http://127.0.0.1:8080/api/workflow/x', { orderId: '1' });
 */
export function httpRequest(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method,
        agent,
        headers: {
          ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}
