/** What a secret is replaced with. */
export const REDACTED = '***';

/** `scheme://userinfo@`: the credentials of a connection string (esdb://, nats://, postgres://, …). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@'"`]+)@/gi;
/** `password=…`, `token: …` and the like inside a text (query strings, `key=value` lists, messages). */
const SECRET_PAIR = /\b((?:[a-z_-]*(?:password|passwd|pwd|secret|token|api[_-]?key|seed|credentials?))\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&,;"'}]+)/gi;
/** Keys of structured values (log fields, config objects) whose value is a secret. */
const SECRET_KEY = /(pass(word|wd)?|pwd|secret|token|api[_-]?key|seed|creds|credentials?|authorization|cookie)$/i;

/**
 * The text with the secrets it carries replaced by `***`: the password (or lone token) of every
 * URL's userinfo — `esdb://admin:***@host`, `nats://***@host` — and the value of `password=`,
 * `token=`-like pairs. For log lines, error messages and anything else printed.
 *
 * @example
 * redactSecrets('store esdb://admin:changeit@db:2113?tls=false') // 'store esdb://admin:***@db:2113?tls=false'
 */
export function redactSecrets(text: string): string {
  return text
    .replace(URL_USERINFO, (_match, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      return colon < 0 ? `${scheme}${REDACTED}@` : `${scheme}${userinfo.slice(0, colon)}:${REDACTED}@`;
    })
    .replace(SECRET_PAIR, (_match, key: string, value: string) => {
      const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
      return `${key}${quote}${REDACTED}${quote}`;
    });
}

/** True when a field with this name holds a secret (`password`, `natsToken`, `authorization`, …). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * A copy of a value fit for printing: fields named like secrets ({@link isSecretKey}) replaced by
 * `***`, every string passed through {@link redactSecrets}, errors turned into their redacted name,
 * message and stack. Only plain objects, arrays and errors are walked (a Date or a Buffer is kept
 * as it is); cycles and depth beyond 8 are cut, so any log argument can be passed.
 *
 * @example
 * redactValue({ url: 'nats://u:p@nats:4222', token: 't' }) // { url: 'nats://u:***@nats:4222', token: '***' }
 */
export function redactValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value) || depth > 8) return '[…]';
  seen.add(value);
  if (value instanceof Error) {
    const fields = Object.fromEntries(Object.entries(value).map(([key, field]) => [key, isSecretKey(key) ? REDACTED : redactValue(field, depth + 1, seen)]));
    return { ...fields, type: value.name, message: redactSecrets(value.message), ...(value.stack ? { stack: redactSecrets(value.stack) } : {}) };
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, isSecretKey(key) ? REDACTED : redactValue(field, depth + 1, seen)]));
}

/**
 * Passes everything this process writes to stdout and stderr through {@link redactSecrets}: the
 * last line of defence for output Baton does not format itself — a library's `console.warn` that
 * quotes a connection string (the EventStoreDB client warns about an unknown option that way),
 * Nest's console logger before the application logger is attached. A process calls it once, first.
 */
export function redactProcessOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => write(redactChunk(chunk), ...rest)) as typeof stream.write;
  }
}

function redactChunk(chunk: unknown): unknown {
  if (typeof chunk === 'string') return redactSecrets(chunk);
  if (chunk instanceof Uint8Array) {
    const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
    const redacted = redactSecrets(text);
    return redacted === text ? chunk : Buffer.from(redacted, 'utf8');
  }
  return chunk;
}
