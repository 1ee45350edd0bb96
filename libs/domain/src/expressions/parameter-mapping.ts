import { LruCache } from './expression-cache';
import { readJsonPath } from './json-path';
import { parseTemplate, tryParsePath, type ParsedTemplate, type ReferencePiece, type TemplatePiece } from './template-parser';

/**
 * What `${...}` references resolve against: the execution and the tasks that ran so far, keyed
 * by task reference name (for DO_WHILE iterations, the caller passes the ref without the
 * `__n` iteration suffix, as Conductor does).
 */
export interface MappingContext {
  workflow: {
    workflowId: string;
    correlationId?: string;
    /** The workflow definition's name. */
    workflowType: string;
    version: number;
    input: Record<string, unknown>;
    output?: Record<string, unknown>;
    variables: Record<string, unknown>;
    status?: string;
    /** Baton addition (Conductor does not expose it): epoch milliseconds. */
    createTime?: number;
    parentWorkflowId?: string;
    parentWorkflowTaskId?: string;
    reasonForIncompletion?: string;
    /** Defaults to 2. */
    schemaVersion?: number;
  };
  tasks: Readonly<
    Record<string, { taskId?: string; status?: string; input?: Record<string, unknown>; output?: Record<string, unknown>; retryCount?: number; [k: string]: unknown }>
  >;
  /** Id of the task whose input is being built; `${CPEWF_TASK_ID}` resolves to it. */
  currentTaskId?: string;
}

const SECRETS_PREFIX = 'workflow.secrets.';
const TASK_ID_PARAMETER = 'CPEWF_TASK_ID';

const templateCache = new LruCache<string, ParsedTemplate>(5000);

function parsedTemplate(text: string): ParsedTemplate {
  let parsed = templateCache.get(text);
  if (parsed === undefined) {
    parsed = parseTemplate(text);
    templateCache.set(text, parsed);
  }
  return parsed;
}

/** Sets `key` on an ordinary object without invoking the `__proto__` setter. */
function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * Deep copy of JSON-like data, so resolved inputs never alias the execution state they came
 * from (Conductor clones the same way, through Jackson).
 */
export function cloneJson(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value === undefined ? null : value;
  if (depth > 256) return null;
  if (Array.isArray(value)) return value.map((item) => cloneJson(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) defineKey(out, key, cloneJson(item, depth + 1));
  }
  return out;
}

/** Builds the document Conductor's JsonPath reads: `workflow` plus one entry per task ref. */
function documentOf(context: MappingContext): Record<string, unknown> {
  const w = context.workflow;
  const doc = Object.create(null) as Record<string, unknown>;
  for (const ref of Object.keys(context.tasks)) doc[ref] = context.tasks[ref];
  doc.workflow = {
    input: w.input,
    output: w.output ?? null,
    status: w.status ?? null,
    workflowId: w.workflowId,
    parentWorkflowId: w.parentWorkflowId ?? null,
    parentWorkflowTaskId: w.parentWorkflowTaskId ?? null,
    workflowType: w.workflowType,
    version: w.version,
    correlationId: w.correlationId ?? null,
    reasonForIncompletion: w.reasonForIncompletion ?? null,
    schemaVersion: w.schemaVersion ?? 2,
    variables: w.variables,
    createTime: w.createTime ?? null,
  };
  return doc;
}

/** How a value reads when interpolated into text: Java's `Objects.toString`, JSON for containers. */
export function interpolationText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value) ?? 'null';
  return String(value);
}

interface Resolver {
  readonly document: unknown;
  readonly currentTaskId: string | undefined;
}

function resolveReference(ref: ReferencePiece, resolver: Resolver): { value: unknown } | undefined {
  const path = ref.staticPath ?? ref.inner.map((p) => pieceText(p, resolver)).join('').trim();
  if (path === '') return { value: '' };
  // Secrets are resolved later, at hand-off to the worker; keep the reference as written.
  if (path.startsWith(SECRETS_PREFIX)) return undefined;
  if (path === TASK_ID_PARAMETER) return resolver.currentTaskId === undefined ? undefined : { value: resolver.currentTaskId };
  const parsed = ref.parsed ?? tryParsePath(path);
  if ('error' in parsed) return { value: null };
  const value = readJsonPath(resolver.document, parsed);
  return { value: value === undefined ? null : value };
}

function pieceText(piece: TemplatePiece, resolver: Resolver): string {
  if (piece.kind === 'text') return piece.text;
  const resolved = resolveReference(piece, resolver);
  return resolved === undefined ? piece.raw : interpolationText(resolved.value);
}

function resolveString(text: string, resolver: Resolver): unknown {
  if (!text.includes('${')) return text;
  const template = parsedTemplate(text);
  if (template.whole) {
    const ref = template.pieces[0] as ReferencePiece;
    const resolved = resolveReference(ref, resolver);
    return resolved === undefined ? ref.raw : cloneJson(resolved.value);
  }
  let out = '';
  for (const piece of template.pieces) out += pieceText(piece, resolver);
  return out;
}

function resolveValue(value: unknown, resolver: Resolver, depth: number): unknown {
  if (typeof value === 'string') return resolveString(value, resolver);
  if (typeof value !== 'object' || value === null || depth > 256) return value;
  if (Array.isArray(value)) return value.map((item) => resolveValue(item, resolver, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) defineKey(out, key, resolveValue((value as Record<string, unknown>)[key], resolver, depth + 1));
  return out;
}

/**
 * Resolves a Conductor parameter template (a task's `inputParameters`, a workflow's
 * `outputParameters`, …) against an execution, with Conductor's ParametersUtils semantics:
 * - a string that is exactly one `${path}` becomes the referenced value itself (any JSON
 *   type; a missing path gives `null`);
 * - other strings interpolate: each `${path}` is replaced by its text (`null` for missing
 *   values, JSON for objects and arrays);
 * - `$${` is a literal `${`; `${}` is an empty string; paths may nest (`${a[${workflow.input.i}]}`);
 * - `${workflow.secrets.*}` is left as written (resolved later at hand-off), as is
 *   `${CPEWF_TASK_ID}` when `context.currentTaskId` is not given.
 * The template and the context are not modified; the result shares no objects with them.
 *
 * @example
 * resolveParameters({ id: '${workflow.input.orderId}', msg: 'order ${workflow.input.orderId} paid' }, context);
 * // → { id: 42, msg: 'order 42 paid' }
 */
export function resolveParameters(template: unknown, context: MappingContext): unknown {
  return resolveValue(template, { document: documentOf(context), currentTaskId: context.currentTaskId }, 0);
}

/**
 * Resolves a template against an arbitrary JSON document, as Conductor's event handlers do with
 * an event payload (`${orderId}` reads `payload.orderId`).
 *
 * @example
 * resolveTemplate({ orderId: '${orderId}' }, { orderId: 'o-1' }); // { orderId: 'o-1' }
 */
export function resolveTemplate(template: unknown, document: unknown): unknown {
  return resolveValue(template, { document, currentTaskId: undefined }, 0);
}
