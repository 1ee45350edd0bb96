/**
 * The JSONPath subset Conductor users write inside `${...}` (Conductor reads those paths with
 * Jayway JsonPath): `a.b`, `a['x-y']`, `a["x"]`, `a[0]`, `a[-1]`, `a[1:3]`, `a[*]`, `a.*`,
 * `a..b` (deep scan), a trailing `.length()`, and an optional leading `$`. Filter expressions
 * (`[?(...)]`) and other functions are reported as unsupported.
 *
 * Only own properties are read, so `constructor` or `__proto__` never reach a prototype.
 */

export type PathSegment =
  | { readonly kind: 'property'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'slice'; readonly start: number | undefined; readonly end: number | undefined }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'deep'; readonly then: PathSegment }
  | { readonly kind: 'length' };

export interface JsonPath {
  readonly segments: readonly PathSegment[];
  /** False when the path can match several values (wildcards, slices, deep scan): the result is then a list. */
  readonly definite: boolean;
}

/** Thrown by {@link parseJsonPath} for a path it cannot read. */
export class JsonPathSyntaxError extends Error {}

const MAX_SCAN_DEPTH = 256;

function fail(path: string, reason: string): never {
  throw new JsonPathSyntaxError(`malformed path '${path}': ${reason}`);
}

/** Characters that end a dot-notation property name. */
function endsName(c: string): boolean {
  return c === '.' || c === '[' || c === ']' || c === '(' || c === ')' || c === ' ' || c === '\t' || c === '\n' || c === "'" || c === '"';
}

/**
 * Parses a path such as `workflow.input.items[0]['sku-id']`.
 *
 * @example
 * parseJsonPath('task.output.items[*].id').definite; // false
 */
export function parseJsonPath(text: string): JsonPath {
  const path = text.trim();
  if (path === '') fail(text, 'empty path');
  const segments: PathSegment[] = [];
  let i = 0;
  if (path[0] === '$') {
    i = 1;
  } else if (path[0] !== '[') {
    i = readName(path, 0, segments);
  }
  while (i < path.length) {
    const c = path[i];
    if (c === '.' && path[i + 1] === '.') {
      const inner: PathSegment[] = [];
      i = path[i + 2] === '[' ? readBracket(path, i + 2, inner) : readName(path, i + 2, inner);
      const then = inner[0];
      if (then.kind === 'length') fail(path, "'..' must be followed by a property, '*' or a bracket");
      segments.push({ kind: 'deep', then });
    } else if (c === '.') {
      i = readName(path, i + 1, segments);
    } else if (c === '[') {
      i = readBracket(path, i, segments);
    } else {
      fail(path, `unexpected '${c}' at offset ${i}`);
    }
  }
  const lengthAt = segments.findIndex((s) => s.kind === 'length');
  if (lengthAt >= 0 && lengthAt !== segments.length - 1) fail(path, 'length() must come last');
  const definite = segments.every((s) => s.kind === 'property' || s.kind === 'index' || s.kind === 'length');
  return { segments, definite };
}

function readName(path: string, start: number, out: PathSegment[]): number {
  if (path[start] === '*') {
    out.push({ kind: 'wildcard' });
    return start + 1;
  }
  let end = start;
  while (end < path.length && !endsName(path[end])) end++;
  const name = path.slice(start, end);
  if (name === '') fail(path, `expected a property name at offset ${start}`);
  if (path[end] === '(') {
    if (path.slice(end, end + 2) !== '()' || name !== 'length') fail(path, `function '${name}()' is not supported`);
    out.push({ kind: 'length' });
    return end + 2;
  }
  out.push({ kind: 'property', name });
  return end;
}

function readBracket(path: string, open: number, out: PathSegment[]): number {
  const c = path[open + 1];
  if (c === '?' || c === '(') fail(path, 'filter and script expressions are not supported');
  if (c === "'" || c === '"') {
    const [name, after] = readQuoted(path, open + 1);
    if (path[after] === ',') fail(path, 'multiple property names in one bracket are not supported');
    if (path[after] !== ']') fail(path, `expected ']' at offset ${after}`);
    out.push({ kind: 'property', name });
    return after + 1;
  }
  const close = path.indexOf(']', open);
  if (close < 0) fail(path, "missing ']'");
  const inner = path.slice(open + 1, close).trim();
  if (inner === '*') out.push({ kind: 'wildcard' });
  else if (/^-?\d+$/.test(inner)) out.push({ kind: 'index', index: Number(inner) });
  else if (/^(-?\d+)?:(-?\d+)?$/.test(inner)) {
    const [a, b] = inner.split(':');
    out.push({ kind: 'slice', start: a === '' ? undefined : Number(a), end: b === '' ? undefined : Number(b) });
  } else fail(path, `unsupported bracket '[${inner}]'`);
  return close + 1;
}

function readQuoted(path: string, at: number): [string, number] {
  const quote = path[at];
  let value = '';
  let i = at + 1;
  while (i < path.length && path[i] !== quote) {
    if (path[i] === '\\' && i + 1 < path.length) i++;
    value += path[i];
    i++;
  }
  if (i >= path.length) fail(path, 'unterminated quoted property name');
  return [value, i + 1];
}

function hasOwn(value: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function childrenOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isRecord(value)) return Object.keys(value).map((k) => value[k]);
  return [];
}

/** Applies one segment to each node; values that do not match are dropped. */
function step(nodes: readonly unknown[], segment: PathSegment, out: unknown[], depth = 0): void {
  for (const node of nodes) {
    switch (segment.kind) {
      case 'property':
        if (isRecord(node) && hasOwn(node, segment.name)) out.push(node[segment.name]);
        break;
      case 'index':
        if (Array.isArray(node)) {
          const i = segment.index < 0 ? node.length + segment.index : segment.index;
          if (i >= 0 && i < node.length) out.push(node[i]);
        }
        break;
      case 'slice':
        if (Array.isArray(node)) out.push(...node.slice(segment.start ?? 0, segment.end ?? node.length));
        break;
      case 'wildcard':
        out.push(...childrenOf(node));
        break;
      case 'deep':
        if (depth > MAX_SCAN_DEPTH) break;
        step([node], segment.then, out);
        step(childrenOf(node).filter((c) => typeof c === 'object' && c !== null), segment, out, depth + 1);
        break;
      case 'length':
        if (Array.isArray(node) || typeof node === 'string') out.push(node.length);
        else if (isRecord(node)) out.push(Object.keys(node).length);
        break;
    }
  }
}

/**
 * Reads `path` from `root`. A definite path yields the value or `undefined`; an indefinite one
 * yields the list of matches (possibly empty), as Jayway JsonPath does.
 *
 * @example
 * readJsonPath({ a: [{ b: 1 }, { b: 2 }] }, parseJsonPath('a[*].b')); // [1, 2]
 */
export function readJsonPath(root: unknown, path: JsonPath): unknown {
  let nodes: unknown[] = [root];
  for (const segment of path.segments) {
    if (segment.kind === 'length' && !path.definite) return nodes.length;
    const next: unknown[] = [];
    step(nodes, segment, next);
    nodes = next;
    if (nodes.length === 0 && path.definite) return undefined;
  }
  return path.definite ? nodes[0] : nodes;
}
