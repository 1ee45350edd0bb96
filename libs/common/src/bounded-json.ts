import { BatonError } from '@app/domain';

declare module '@app/domain' {
  interface BatonErrorCodes {
    /** A request body, path or query parameter, or an inbound message, broke a rule (HTTP 400; dead letter `VALIDATION_FAILED`). */
    VALIDATION_FAILED: true;
  }
}

/**
 * What one inbound JSON document may hold. Every code path that walks a document recursively
 * (definition validation, the expression sandbox, canonical JSON for the hash chain, DTO
 * validation) is safe up to `maxDepth`, so the limits are checked once, here, before any of them.
 */
export interface JsonLimits {
  /** UTF-8 bytes of the text, checked before parsing. */
  readonly maxBytes: number;
  /** Nesting of objects and arrays: `{}` and `[]` are depth 1. */
  readonly maxDepth: number;
  /** Keys of any one object. */
  readonly maxKeys: number;
  /** Items of any one array. */
  readonly maxArrayLength: number;
}

/**
 * Nesting deeper than this is refused whatever the configuration says: the expression sandbox
 * copies data up to 256 levels (`MAX_DATA_DEPTH` in the domain) and recursion elsewhere is sized
 * for it, so the decoder must never let deeper documents through.
 */
export const MAX_JSON_DEPTH = 256;

/** The limits used when a caller configures none (`BATON_JSON_*` variables override them in the orchestrator). */
export const DEFAULT_JSON_LIMITS: JsonLimits = { maxBytes: 256 * 1024, maxDepth: 128, maxKeys: 10_000, maxArrayLength: 100_000 };

/** Which limit a document broke, where (`tasks[0].decisionCases.a[0]`, empty for the document itself) and by how much. */
export interface JsonLimitViolation {
  readonly limit: keyof JsonLimits;
  readonly max: number;
  readonly actual: number;
  readonly path: string;
}

/**
 * A JSON document over one of the {@link JsonLimits}: a deterministic input error, never worth a
 * retry (HTTP 400 `VALIDATION_FAILED`, dead letter `VALIDATION_FAILED` at once).
 */
export class JsonLimitError extends BatonError {
  constructor(readonly violation: JsonLimitViolation) {
    super('VALIDATION_FAILED', describeViolation(violation), {
      retryable: false,
      details: { problems: [{ path: violation.path, message: describeViolation(violation) }] },
    });
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses JSON text (or UTF-8 bytes) within `limits`. Throws {@link JsonLimitError} for a document
 * over a limit, `SyntaxError` (also for broken UTF-8) for one that is not JSON. The size is
 * checked before parsing; depth, keys and array lengths by an iterative walk, so no document can
 * exhaust the stack here or in the recursive code it is handed to.
 */
export function parseBoundedJson(input: string | Uint8Array, limits: JsonLimits = DEFAULT_JSON_LIMITS): unknown {
  const bytes = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (bytes > limits.maxBytes) throw new JsonLimitError({ limit: 'maxBytes', max: limits.maxBytes, actual: bytes, path: '' });
  let text: string;
  try {
    text = typeof input === 'string' ? input : utf8.decode(input);
  } catch (error) {
    throw new SyntaxError(`not UTF-8: ${(error as Error).message}`);
  }
  const value: unknown = JSON.parse(text);
  assertJsonWithin(value, limits);
  return value;
}

/** Throws {@link JsonLimitError} when an already parsed value breaks a structural limit (depth, keys, array length). */
export function assertJsonWithin(value: unknown, limits: Pick<JsonLimits, 'maxDepth' | 'maxKeys' | 'maxArrayLength'> = DEFAULT_JSON_LIMITS): void {
  const violation = jsonLimitViolation(value, limits);
  if (violation) throw new JsonLimitError(violation);
}

/** One container met on the walk; `parent` and `key` rebuild the path only when a limit is broken. */
interface Frame {
  readonly value: object;
  readonly depth: number;
  readonly parent: Frame | undefined;
  readonly key: string | number | undefined;
}

/** The first structural limit `value` breaks, or undefined. Iterative: any depth is safe to check. */
export function jsonLimitViolation(value: unknown, limits: Pick<JsonLimits, 'maxDepth' | 'maxKeys' | 'maxArrayLength'>): JsonLimitViolation | undefined {
  const maxDepth = Math.min(limits.maxDepth, MAX_JSON_DEPTH);
  if (typeof value !== 'object' || value === null) return undefined;
  const stack: Frame[] = [{ value, depth: 1, parent: undefined, key: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    if (frame.depth > maxDepth) return { limit: 'maxDepth', max: maxDepth, actual: frame.depth, path: pathOf(frame) };
    if (Array.isArray(frame.value)) {
      const items = frame.value as unknown[];
      if (items.length > limits.maxArrayLength) return { limit: 'maxArrayLength', max: limits.maxArrayLength, actual: items.length, path: pathOf(frame) };
      for (let i = items.length - 1; i >= 0; i--) {
        const item = items[i];
        if (typeof item === 'object' && item !== null) stack.push({ value: item, depth: frame.depth + 1, parent: frame, key: i });
      }
    } else {
      const keys = Object.keys(frame.value);
      if (keys.length > limits.maxKeys) return { limit: 'maxKeys', max: limits.maxKeys, actual: keys.length, path: pathOf(frame) };
      for (let i = keys.length - 1; i >= 0; i--) {
        const item = (frame.value as Record<string, unknown>)[keys[i]];
        if (typeof item === 'object' && item !== null) stack.push({ value: item, depth: frame.depth + 1, parent: frame, key: keys[i] });
      }
    }
  }
  return undefined;
}

/** Paths in the style of the API's validation errors: `tasks[0].inputParameters.x`. */
function pathOf(frame: Frame): string {
  const parts: string[] = [];
  for (let at: Frame | undefined = frame; at?.parent; at = at.parent) parts.push(typeof at.key === 'number' ? `[${at.key}]` : `.${at.key}`);
  const path = parts.reverse().join('');
  return path.startsWith('.') ? path.slice(1) : path;
}

function describeViolation(v: JsonLimitViolation): string {
  const where = v.path ? ` at ${v.path.length > 200 ? `${v.path.slice(0, 200)}…` : v.path}` : '';
  switch (v.limit) {
    case 'maxBytes':
      return `JSON document is ${v.actual} bytes, more than the ${v.max} accepted (maxBytes)`;
    case 'maxDepth':
      return `JSON nested deeper than ${v.max} levels${where} (maxDepth)`;
    case 'maxKeys':
      return `JSON object has ${v.actual} keys, more than the ${v.max} accepted${where} (maxKeys)`;
    case 'maxArrayLength':
      return `JSON array has ${v.actual} items, more than the ${v.max} accepted${where} (maxArrayLength)`;
  }
}
