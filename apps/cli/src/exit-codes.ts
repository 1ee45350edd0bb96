/** The exit codes a CI job can rely on (docs/cli.md). */
export const ExitCode = {
  /** Done; every check passed. */
  Ok: 0,
  /** A check failed (verify, replay-check, a flow test, an invalid definition), or the orchestrator refused the request (4xx). */
  CheckFailed: 1,
  /** Bad arguments or input files: nothing was done. */
  Usage: 2,
  /** The orchestrator or the store could not be reached (or answered 5xx), or another error. */
  Unavailable: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Bad arguments or input: exit 2, with a message naming the argument or file. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A check could not be done (an unknown execution): exit 1 with this message. */
export class CommandFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandFailure';
  }
}
