import type { PathSegment } from './json-path';
import { parseTemplate, type ReferencePiece, type TemplatePiece } from './template-parser';

/** Conductor's system parameters that are not paths into the execution. */
const SYSTEM_PARAMETERS: ReadonlySet<string> = new Set(['CPEWF_TASK_ID', 'NETFLIX_ENV', 'NETFLIX_STACK']);

/** One `${...}` found in a parameter template. */
export interface ParameterReference {
  /** Where in the template the string holding it sits: `''` for the template itself, else `a.b[0]`. */
  readonly location: string;
  /** The reference as written, e.g. `${fetch.output.items[0]}`. */
  readonly expression: string;
  /** The path inside `${}`, trimmed (may contain nested `${...}` when `kind` is `dynamic`). */
  readonly path: string;
  /** First path segment: `workflow`, a task reference name, or a system parameter; `''` if unknowable. */
  readonly root: 'workflow' | string;
  /** Second path segment when it is a property name (`input`, `output`, `status`, …). */
  readonly field: string | undefined;
  readonly kind: 'workflow' | 'task' | 'system' | 'dynamic';
}

function childLocation(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const plain = /^[A-Za-z_$][\w$-]*$/.test(key);
  if (parent === '') return plain ? key : `['${key}']`;
  return plain ? `${parent}.${key}` : `${parent}['${key}']`;
}

/** Walks strings of a template (objects, arrays, nested) with their locations. */
function walkStrings(template: unknown, location: string, visit: (text: string, location: string) => void, depth = 0): void {
  if (typeof template === 'string') visit(template, location);
  else if (depth > 256 || typeof template !== 'object' || template === null) return;
  else if (Array.isArray(template)) template.forEach((item, i) => walkStrings(item, childLocation(location, i), visit, depth + 1));
  else for (const key of Object.keys(template)) walkStrings((template as Record<string, unknown>)[key], childLocation(location, key), visit, depth + 1);
}

function propertyName(segment: PathSegment | undefined): string | undefined {
  return segment?.kind === 'property' ? segment.name : undefined;
}

function describe(ref: ReferencePiece, location: string): ParameterReference {
  const path = ref.staticPath ?? ref.raw.slice(2, -1).trim();
  const base = { location, expression: ref.raw, path };
  if (ref.staticPath === undefined) {
    // `${map.${key}}`: the root is still known when the path starts with static text.
    const first = ref.inner[0];
    const prefix = first?.kind === 'text' ? first.text.trim() : '';
    const root = /^\$?\.?([^.[\]$]+)[.[]/.exec(prefix)?.[1] ?? '';
    if (root === '') return { ...base, root: '', field: undefined, kind: 'dynamic' };
    return { ...base, root, field: undefined, kind: root === 'workflow' ? 'workflow' : 'task' };
  }
  if (SYSTEM_PARAMETERS.has(path)) return { ...base, root: path, field: undefined, kind: 'system' };
  const parsed = ref.parsed;
  if (parsed === undefined || 'error' in parsed) return { ...base, root: '', field: undefined, kind: 'dynamic' };
  const root = propertyName(parsed.segments[0]);
  if (root === undefined) return { ...base, root: '', field: undefined, kind: 'dynamic' };
  return { ...base, root, field: propertyName(parsed.segments[1]), kind: root === 'workflow' ? 'workflow' : 'task' };
}

function collect(pieces: readonly TemplatePiece[], location: string, out: ParameterReference[]): void {
  for (const piece of pieces) {
    if (piece.kind !== 'ref') continue;
    if (piece.staticPath === '') continue;
    out.push(describe(piece, location));
    collect(piece.inner, location, out);
  }
}

/**
 * Lists every `${...}` reference in a parameter template, nested ones included, so definition
 * validation can check each `root` against the workflow's task reference names.
 *
 * @example
 * parseReferences({ sku: '${fetch.output.items[0].sku}', id: '${workflow.input.id}' });
 * // [{ location: 'sku', root: 'fetch', field: 'output', kind: 'task', … },
 * //  { location: 'id', root: 'workflow', field: 'input', kind: 'workflow', … }]
 */
export function parseReferences(template: unknown): ParameterReference[] {
  const out: ParameterReference[] = [];
  walkStrings(template, '', (text, location) => {
    if (text.includes('${')) collect(parseTemplate(text).pieces, location, out);
  });
  return out;
}

/**
 * Problems in a parameter template: an unterminated `${`, an empty `${}`, a path that is not
 * valid (or uses an unsupported JSONPath feature). Each message starts with the location.
 *
 * @example
 * validateParameterTemplate({ a: '${workflow.input.x', b: '${}' });
 * // ["a: unterminated '${' in '${workflow.input.x'", "b: empty reference '${}'"]
 */
export function validateParameterTemplate(template: unknown): string[] {
  const problems: string[] = [];
  walkStrings(template, '', (text, location) => {
    if (!text.includes('${')) return;
    for (const problem of parseTemplate(text).problems) problems.push(location === '' ? problem : `${location}: ${problem}`);
  });
  return problems;
}
