import { readFileSync } from 'node:fs';
import { load as parseYaml } from 'js-yaml';
import { tokenHash } from '@app/common';
import { effectiveRoles, isRole, ROLES, type Role } from './roles';
import type { Principal } from './principal';

/** One configured API token: its name, the SHA-256 of the token (never the token), its roles. */
export interface ApiToken {
  readonly name: string;
  /** Lower-case hex SHA-256 of the token's UTF-8 bytes. */
  readonly sha256: string;
  readonly roles: readonly Role[];
  /** The task names a `worker` token may poll and report; absent: any. */
  readonly taskTypes?: readonly string[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export { tokenHash };

/**
 * Parses a token list (JSON or YAML: a list of `{ name, sha256, roles, taskTypes? }`, or an
 * object with such a list under `tokens`). Throws naming `source`, the entry and the field.
 */
export function parseApiTokens(text: string, source: string): ApiToken[] {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new Error(`${source}: not JSON or YAML (${(error as Error).message.split('\n')[0]})`);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { tokens?: unknown } | null)?.tokens;
  if (!Array.isArray(list)) throw new Error(`${source}: expected a list of { name, sha256, roles, taskTypes? } (or { tokens: [...] })`);
  const tokens = list.map((entry: unknown, index) => tokenOf(entry, `${source}[${index}]`));
  for (const key of ['name', 'sha256'] as const) {
    const seen = new Set<string>();
    for (const [index, token] of tokens.entries()) {
      if (seen.has(token[key])) throw new Error(`${source}[${index}].${key}: the same ${key} is configured twice`);
      seen.add(token[key]);
    }
  }
  return tokens;
}

function tokenOf(entry: unknown, at: string): ApiToken {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new Error(`${at}: expected an object { name, sha256, roles, taskTypes? }`);
  const { name, sha256, roles, taskTypes, ...rest } = entry as Record<string, unknown>;
  const unknownKeys = Object.keys(rest);
  // A plain token pasted where its hash belongs must not be accepted (nor echoed back in this error).
  if (unknownKeys.length > 0) throw new Error(`${at}: unknown field(s) ${unknownKeys.join(', ')}; a token is configured by its sha256 only`);
  if (typeof name !== 'string' || !NAME.test(name)) throw new Error(`${at}.name: 1–64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit`);
  if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256.toLowerCase())) throw new Error(`${at}.sha256: 64 hex digits (the SHA-256 of the token: baton auth token makes both)`);
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every(isRole)) throw new Error(`${at}.roles: a non-empty list of ${ROLES.join(', ')}`);
  if (taskTypes !== undefined && (!Array.isArray(taskTypes) || !taskTypes.every((type) => typeof type === 'string' && type.length > 0))) {
    throw new Error(`${at}.taskTypes: a list of task names`);
  }
  return { name, sha256: sha256.toLowerCase(), roles, ...(taskTypes ? { taskTypes: taskTypes as string[] } : {}) };
}

/**
 * The configured tokens from `BATON_AUTH_TOKENS_FILE` (a file) or `BATON_AUTH_TOKENS` (the same
 * content inline); none when neither is set. Setting both is an error.
 */
export function loadApiTokens(env: NodeJS.ProcessEnv): ApiToken[] {
  const file = env.BATON_AUTH_TOKENS_FILE;
  const inline = env.BATON_AUTH_TOKENS;
  if (file && inline) throw new Error('set BATON_AUTH_TOKENS_FILE or BATON_AUTH_TOKENS, not both');
  if (inline) return parseApiTokens(inline, 'BATON_AUTH_TOKENS');
  if (!file) return [];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`BATON_AUTH_TOKENS_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseApiTokens(text, `BATON_AUTH_TOKENS_FILE ${file}`);
}

/** Finds the principal of a presented token by its hash; the token itself is never kept. */
export class TokenRegistry {
  private readonly byHash = new Map<string, Principal>();

  constructor(tokens: readonly ApiToken[]) {
    for (const token of tokens) {
      this.byHash.set(token.sha256, {
        kind: 'token',
        name: token.name,
        roles: effectiveRoles(token.roles),
        ...(token.taskTypes ? { taskTypes: new Set(token.taskTypes) } : {}),
      });
    }
  }

  get size(): number {
    return this.byHash.size;
  }

  /**
   * The principal of this token, or undefined for an unknown one. Looked up by the token's
   * SHA-256: the caller cannot steer a hash prefix, so the lookup leaks nothing about stored ones.
   */
  principalOf(token: string): Principal | undefined {
    return this.byHash.get(tokenHash(token));
  }
}
