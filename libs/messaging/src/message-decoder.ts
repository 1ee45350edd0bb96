import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { DEFAULT_JSON_LIMITS, JsonLimitError, parseBoundedJson, type JsonLimits } from '@app/common';
import { DlqCodes } from './contract/subjects';

/** Why a body was refused; `code` is one of the transport's {@link DlqCodes}. */
export interface DecodeFailure {
  readonly code: string;
  readonly reason: string;
}

/** Default cap on a message body, checked before any parsing. */
export const DEFAULT_MAX_PAYLOAD_BYTES = DEFAULT_JSON_LIMITS.maxBytes;

/** The structural limits of a message body (depth, keys, array length); its size is `maxPayloadBytes`. */
export type JsonStructureLimits = Pick<JsonLimits, 'maxDepth' | 'maxKeys' | 'maxArrayLength'>;

/**
 * Parses a JSON body with the one bounded decoder (`parseBoundedJson` of `@app/common`): oversize
 * input is refused before it is touched (`PAYLOAD_TOO_LARGE`), broken UTF-8 or JSON is
 * `DECODE_FAILED`, and a body nested too deep or with too many keys or items is `VALIDATION_FAILED`
 * naming the limit, so nothing downstream (DTO validation, the domain) can exhaust the stack on it.
 * Returns the parsed value, or a {@link DecodeFailure}.
 */
export function decodeJson(data: Uint8Array, maxPayloadBytes: number = DEFAULT_MAX_PAYLOAD_BYTES, structure: JsonStructureLimits = DEFAULT_JSON_LIMITS): unknown {
  if (data.byteLength > maxPayloadBytes) {
    return failure(DlqCodes.PayloadTooLarge, `body is ${data.byteLength} bytes, more than the ${maxPayloadBytes} accepted`);
  }
  try {
    return parseBoundedJson(data, { ...structure, maxBytes: maxPayloadBytes });
  } catch (error) {
    if (error instanceof JsonLimitError) return failure(DlqCodes.ValidationFailed, `body refused: ${error.message}`);
    return failure(DlqCodes.DecodeFailed, `body is not UTF-8 JSON: ${(error as Error).message}`);
  }
}

/**
 * Turns a parsed body into an instance of `dto` and checks its class-validator rules. Unknown
 * properties are kept (producers may be newer than consumers). Returns the instance or a failure.
 */
export async function validateBody<T extends object>(dto: ClassConstructor<T>, body: unknown): Promise<T | DecodeFailure> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return failure(DlqCodes.ValidationFailed, `body must be a JSON object matching ${dto.name}`);
  }
  const instance = plainToInstance(dto, body);
  const errors = await validate(instance, { whitelist: false, forbidNonWhitelisted: false });
  if (errors.length === 0) return instance;
  return failure(DlqCodes.ValidationFailed, `invalid ${dto.name}: ${formatValidationErrors(errors)}`);
}

/** `field: constraint (message)` pairs, nested paths dotted: `logs.0.log: isString (log must be a string)`. */
export function formatValidationErrors(errors: readonly ValidationError[], parentPath = ''): string {
  const parts: string[] = [];
  for (const error of errors) {
    const path = parentPath ? `${parentPath}.${error.property}` : error.property;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) parts.push(`${path}: ${constraint} (${message})`);
    if (error.children?.length) parts.push(formatValidationErrors(error.children, path));
  }
  return parts.filter(Boolean).join('; ');
}

/** Decode failures are a class of their own, so a body that happens to be `{code, reason}` is not mistaken for one. */
class DecodeFailureImpl implements DecodeFailure {
  constructor(
    readonly code: string,
    readonly reason: string,
  ) {}
}

function failure(code: string, reason: string): DecodeFailure {
  return new DecodeFailureImpl(code, reason);
}

/** True when {@link decodeJson} or {@link validateBody} refused the body. */
export function isDecodeFailure(value: unknown): value is DecodeFailure {
  return value instanceof DecodeFailureImpl;
}
