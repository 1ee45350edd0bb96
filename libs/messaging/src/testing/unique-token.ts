/** Short random token for stream, subject and durable names that no other test run uses. */
export function uniqueToken(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
