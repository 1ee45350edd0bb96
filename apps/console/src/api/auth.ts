/** The bearer token an operator signed in with; kept for the browser tab only. */
const KEY = 'baton.console.token';

export function storedToken(): string | undefined {
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function storeToken(token: string | undefined): void {
  try {
    if (token) sessionStorage.setItem(KEY, token);
    else sessionStorage.removeItem(KEY);
  } catch {
    // storage disabled: the token lives as long as the page
  }
  memoryToken = token;
  for (const listener of listeners) listener(token);
}

let memoryToken: string | undefined = storedToken();
const listeners = new Set<(token: string | undefined) => void>();

export function currentToken(): string | undefined {
  return memoryToken;
}

export function onTokenChange(listener: (token: string | undefined) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Headers that carry the token, when there is one (no auth configured: none). */
export function authHeaders(): Record<string, string> {
  const token = currentToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}
