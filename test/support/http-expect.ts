/** A field problem in an error body: the field's path and the rule it broke. */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

/** The orchestrator's error body (`api-exception.filter.ts`). */
export interface ApiErrorBody {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  readonly validationErrors?: FieldProblem[];
  readonly details?: Record<string, unknown>;
}

/** A response as `BatonApi.request` returns it. */
export interface ApiResponse {
  readonly status: number;
  readonly text: string;
  json(): unknown;
}

/**
 * Asserts the response is the error `{ status, code, message, retryable }` with this HTTP status
 * (and code, when given), and returns its body.
 */
export function expectError(response: ApiResponse, status: number, code?: string): ApiErrorBody {
  expect({ status: response.status, text: response.text }).toEqual({ status, text: expect.any(String) });
  const body = response.json() as ApiErrorBody;
  expect(body).toEqual(
    expect.objectContaining({ status, code: code ?? expect.any(String), message: expect.any(String), retryable: status >= 500 ? expect.any(Boolean) : false }),
  );
  return body;
}

/** An expected problem: the exact path, and a pattern the message must match. */
export type ExpectedProblem = readonly [path: string, message: RegExp];

/**
 * Asserts a 400 whose `validationErrors` name exactly these paths (no unrelated field) and, for
 * each expected problem, one entry with that path whose message matches.
 */
export function expectProblems(response: ApiResponse, code: string, expected: readonly ExpectedProblem[]): ApiErrorBody {
  const body = expectError(response, 400, code);
  const problems = body.validationErrors ?? [];
  expect([...new Set(problems.map((problem) => problem.path))].sort()).toEqual([...new Set(expected.map(([path]) => path))].sort());
  for (const [path, message] of expected) {
    expect(problems).toEqual(expect.arrayContaining([{ path, message: expect.stringMatching(message) }]));
  }
  // The summary message repeats every problem, for clients that only show `message`.
  for (const problem of problems) expect(body.message).toContain(problem.message);
  return body;
}
