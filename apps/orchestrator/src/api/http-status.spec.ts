import { BatonError } from '@app/domain';
import { EventStoreUnavailableError, StreamNotFoundError } from '@app/event-store';
import { ExecutionNotFoundError, IdempotencyConflictError } from '../executions/orchestrator.errors';
import { HTTP_ANSWER_BY_CODE, httpStatusOf, type HttpAnswerMap } from './http-status';

describe('HTTP statuses of error codes', () => {
  it('given client mistakes, then they answer 4xx', () => {
    expect(httpStatusOf(new ExecutionNotFoundError('42'))).toBe(404);
    expect(httpStatusOf(new IdempotencyConflictError('k', 'FAIL', '42', 'RUNNING'))).toBe(409);
    expect(httpStatusOf(new BatonError('EXPRESSION_ERROR', 'bad script'))).toBe(400);
    expect(httpStatusOf({ code: 'TASK_NOT_PENDING', retryable: false })).toBe(409);
  });

  it('given the event store away, then 503', () => {
    expect(httpStatusOf(new EventStoreUnavailableError('down'))).toBe(503);
  });

  it('given a fault, then 500, or 503 when the error says a retry may help', () => {
    expect(httpStatusOf(new StreamNotFoundError('catalog-definitions'))).toBe(500);
    expect(httpStatusOf({ code: 'TASK_QUEUE_UNAVAILABLE', retryable: true })).toBe(503);
  });

  it("given a code outside Baton's registry (a service's own), then it is a fault", () => {
    expect(httpStatusOf(new BatonError<string>('PAYMENT_NOT_FOUND', 'no payment'))).toBe(500);
    expect(httpStatusOf(new BatonError<string>('GATEWAY_BUSY', 'busy', { retryable: true }))).toBe(503);
  });

  it('gives every answer as a 4xx status, 503 or a fault', () => {
    expect(new Set(Object.values(HTTP_ANSWER_BY_CODE))).toEqual(new Set([400, 401, 403, 404, 409, 503, 'fault']));
  });

  it('is checked by the compiler (npm run typecheck): no code outside the registry, no code without an answer', () => {
    // @ts-expect-error a BatonError's code must be registered in BatonErrorCodes
    const unregistered = new BatonError('NOT_A_REGISTERED_CODE', 'x');
    // @ts-expect-error a map that leaves out a code does not compile
    const incomplete: HttpAnswerMap = { EXECUTION_NOT_FOUND: 404 };
    expect([unregistered.code, Object.keys(incomplete)]).toEqual(['NOT_A_REGISTERED_CODE', ['EXECUTION_NOT_FOUND']]);
  });
});
