/** Where a read-model database lives, parsed from its URL. */
export type ReadModelLocation =
  | { readonly dialect: 'sqlite'; readonly path: string }
  | { readonly dialect: 'postgres'; readonly connectionString: string; readonly schema?: string };

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Parses `sqlite:<file>`, `sqlite::memory:`, `sqlite:///abs/file` or `postgres[ql]://…[?schema=name]`.
 * `schema` is Baton's own parameter (the server never sees it): tables go to that schema, created if missing.
 */
export function parseReadModelUrl(url: string): ReadModelLocation {
  if (url.startsWith('sqlite:')) {
    const rest = url.slice('sqlite:'.length);
    const path = rest.startsWith('//') ? rest.slice(2) : rest;
    if (path === '') throw new Error(`read-model URL "${url}" names no SQLite file`);
    return { dialect: 'sqlite', path };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
      throw new Error(`read-model URL: schema "${schema}" must be a lower-case SQL identifier`);
    }
    return { dialect: 'postgres', connectionString: parsed.toString(), ...(schema === undefined ? {} : { schema }) };
  }
  throw new Error(`read-model URL must start with sqlite: or postgres://, got "${redact(url)}"`);
}

/** A URL fit for logs: no password. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
