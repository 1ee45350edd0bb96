import { plainToInstance } from 'class-transformer';
import { ValidateBy, validateSync, type ValidationError } from 'class-validator';

/** A problem with a request body: the field's path and what rule it broke. */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

/** Flattens class-validator errors into `path: message` problems (nested paths joined with dots). */
export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const path = parent ? (/^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}

/**
 * Checks a plain body against a DTO class without replacing it (Conductor JSON keeps every
 * field it had, including ones the DTO does not declare).
 */
export function problemsOf<T extends object>(dto: new () => T, body: unknown): FieldProblem[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [{ path: '', message: 'the body must be a JSON object' }];
  return flattenValidationErrors(validateSync(plainToInstance(dto, body) as object, { forbidUnknownValues: false }));
}

/** One rule (so one message) for an integer in a range: `IsInt` + `Min` + `Max` would each report a text like `abc`. */
export function IsIntegerFrom(min: number, max: number, message: string): PropertyDecorator {
  return ValidateBy({ name: 'isIntegerFrom', validator: { validate: (value: unknown) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max, defaultMessage: () => message } });
}
