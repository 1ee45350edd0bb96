import { parseJsonPath, JsonPathSyntaxError, type JsonPath } from './json-path';

/**
 * Parsing of Conductor parameter strings: literal text with `${path}` references, where a path
 * may itself contain references (`${map.${key}[${index}]}`) and `$${` stands for a literal
 * `${`. Brace matching is by counting `{`/`}`, like Conductor's balanced-brace pattern.
 */

export type TemplatePiece = TextPiece | ReferencePiece;

export interface TextPiece {
  readonly kind: 'text';
  /** The text with `$${` already unescaped to `${`. */
  readonly text: string;
}

export interface ReferencePiece {
  readonly kind: 'ref';
  /** The whole `${...}` as written. */
  readonly raw: string;
  /** The text between `${` and `}`, as pieces (several only when references are nested). */
  readonly inner: readonly TemplatePiece[];
  /** The trimmed path when it has no nested references; undefined otherwise. */
  readonly staticPath: string | undefined;
  /** The parsed static path, or the reason it could not be parsed. */
  readonly parsed: JsonPath | { readonly error: string } | undefined;
}

export interface ParsedTemplate {
  readonly pieces: readonly TemplatePiece[];
  /** True when the string is exactly one reference: it resolves to the value, not to text. */
  readonly whole: boolean;
  /** Problems found while parsing (unterminated `${`, empty or malformed paths). */
  readonly problems: readonly string[];
}

const MAX_NESTING = 32;

export function parseTemplate(text: string): ParsedTemplate {
  const problems: string[] = [];
  const pieces = parsePieces(text, problems, 0);
  const whole = pieces.length === 1 && pieces[0].kind === 'ref';
  return { pieces, whole, problems };
}

function parsePieces(text: string, problems: string[], depth: number): TemplatePiece[] {
  const pieces: TemplatePiece[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('${', i);
    if (at < 0) break;
    if (at > 0 && text[at - 1] === '$') {
      // `$${` is an escaped `${`: keep one `$` and the brace as text.
      literal += text.slice(i, at - 1) + '${';
      i = at + 2;
      continue;
    }
    const close = matchingBrace(text, at + 1);
    if (close < 0) {
      problems.push(`unterminated '\${' in '${text}'`);
      break;
    }
    if (at > i) literal += text.slice(i, at);
    if (literal !== '') pieces.push({ kind: 'text', text: literal });
    literal = '';
    pieces.push(parseReference(text.slice(at, close + 1), problems, depth));
    i = close + 1;
  }
  literal += text.slice(i);
  if (literal !== '') pieces.push({ kind: 'text', text: literal });
  return pieces;
}

/** Index of the `}` closing the `{` at `open`, counting nested braces; -1 when unbalanced. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function parseReference(raw: string, problems: string[], depth: number): ReferencePiece {
  const body = raw.slice(2, -1);
  if (depth >= MAX_NESTING) {
    problems.push(`references nested deeper than ${MAX_NESTING} in '${raw}'`);
    return { kind: 'ref', raw, inner: [{ kind: 'text', text: body }], staticPath: undefined, parsed: { error: 'too deeply nested' } };
  }
  const inner = parsePieces(body, problems, depth + 1);
  const isStatic = inner.every((p) => p.kind === 'text');
  if (!isStatic) return { kind: 'ref', raw, inner, staticPath: undefined, parsed: undefined };
  const staticPath = inner.map((p) => (p as TextPiece).text).join('').trim();
  // Conductor resolves `${}` and `${  }` to an empty string; still worth a warning.
  if (staticPath === '') {
    problems.push(`empty reference '${raw}'`);
    return { kind: 'ref', raw, inner, staticPath, parsed: undefined };
  }
  const parsed = tryParsePath(staticPath);
  if ('error' in parsed) problems.push(parsed.error);
  return { kind: 'ref', raw, inner, staticPath, parsed };
}

export function tryParsePath(path: string): JsonPath | { readonly error: string } {
  try {
    return parseJsonPath(path);
  } catch (error) {
    if (error instanceof JsonPathSyntaxError) return { error: error.message };
    throw error;
  }
}
