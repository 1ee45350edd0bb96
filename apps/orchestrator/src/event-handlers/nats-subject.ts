/** NATS subject syntax, as far as event handlers need it. */

/** Longest subject an event handler may name. */
export const MAX_SUBJECT_LENGTH = 256;

/**
 * Why `subject` is not a valid NATS subject filter, or undefined when it is: dot-separated
 * non-empty tokens without whitespace, `*` only as a whole token, `>` only as the whole last token.
 *
 * @example
 * subjectProblem('orders.*.placed'); // undefined
 * subjectProblem('orders..placed');  // 'subject "orders..placed" has an empty token'
 */
export function subjectProblem(subject: string): string | undefined {
  if (subject.length === 0) return 'the subject is empty';
  if (subject.length > MAX_SUBJECT_LENGTH) return `the subject is longer than ${MAX_SUBJECT_LENGTH} characters`;
  if (/\s/.test(subject)) return `subject "${subject}" contains whitespace`;
  const tokens = subject.split('.');
  for (const [i, token] of tokens.entries()) {
    if (token === '') return `subject "${subject}" has an empty token`;
    if (token !== '*' && token.includes('*')) return `subject "${subject}": '*' must be a whole token`;
    if (token === '>' && i !== tokens.length - 1) return `subject "${subject}": '>' must be the last token`;
    if (token !== '>' && token.includes('>')) return `subject "${subject}": '>' must be a whole token`;
  }
  return undefined;
}

/**
 * True when some subject matches both filters (wildcards on either side).
 *
 * @example
 * subjectsOverlap('baton.>', 'baton.task.>'); // true
 * subjectsOverlap('orders.*', 'orders.a.b');  // false
 */
export function subjectsOverlap(a: string, b: string): boolean {
  const left = a.split('.');
  const right = b.split('.');
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const l = left[i];
    const r = right[i];
    if (l === '>' || r === '>') return l !== undefined && r !== undefined;
    if (l === undefined || r === undefined) return false;
    if (l !== r && l !== '*' && r !== '*') return false;
  }
  return true;
}
