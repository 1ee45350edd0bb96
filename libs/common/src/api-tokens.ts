import { createHash, randomBytes } from 'node:crypto';

/** The roles of the orchestrator's HTTP API (docs/security.md has what each may call). */
export const API_ROLES = ['admin', 'operator', 'worker', 'auditor', 'reader'] as const;

/** A role of {@link API_ROLES}. */
export type ApiRole = (typeof API_ROLES)[number];

/** True for a string naming one of {@link API_ROLES}. */
export function isApiRole(value: unknown): value is ApiRole {
  return typeof value === 'string' && (API_ROLES as readonly string[]).includes(value);
}

/** Hex SHA-256 of an API token: what the orchestrator's token file stores instead of the token. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new random API token (256 bits, base64url, prefixed `baton_` so scanners can spot a leaked one). */
export function newApiToken(): string {
  return `baton_${randomBytes(32).toString('base64url')}`;
}
