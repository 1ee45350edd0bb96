import { CommanderError } from 'commander';
import { BatonApiError, BatonUnreachableError } from '@app/client';
import { CommandFailure, ExitCode, UsageError } from './exit-codes';
import type { CliOutput } from './output/cli-output';

/**
 * What an error means for the caller: its exit code and message. Never a stack trace (set
 * `BATON_DEBUG=1` for one): bad input is a usage error naming the argument or file.
 */
export function reportError(output: CliOutput, error: unknown): ExitCode {
  if (error instanceof UsageError || isNamed(error, 'ExportFileError', 'FlowCasesFormatError')) {
    output.error(error.message, { code: 'USAGE' });
    return ExitCode.Usage;
  }
  if (error instanceof BatonApiError) {
    // The orchestrator speaks of headers; the CLI user sets an option.
    const hint = error.status === 401 ? ' (give a token with --token or BATON_TOKEN)' : '';
    output.error(`${error.code}: ${error.message}${hint}`, { status: error.status, code: error.code, validationErrors: error.validationErrors, ...(error.details ? { details: error.details } : {}) });
    if (!output.json) for (const problem of error.validationErrors) output.streams.stderr.write(`  ${problem.path || '(root)'}: ${problem.message}\n`);
    return error.status >= 400 && error.status < 500 ? ExitCode.CheckFailed : ExitCode.Unavailable;
  }
  if (error instanceof CommandFailure || isNamed(error, 'ImportConflictError', 'StreamNotFoundError')) {
    output.error(error.message, { code: 'FAILED' });
    return ExitCode.CheckFailed;
  }
  if (error instanceof BatonUnreachableError) {
    output.error(error.message, { code: 'UNREACHABLE' });
    return ExitCode.Unavailable;
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'ERROR';
  output.error(message, { code });
  if (process.env.BATON_DEBUG && error instanceof Error && error.stack) output.streams.stderr.write(`${error.stack}\n`);
  return ExitCode.Unavailable;
}

/** Commander's own outcomes: help and version are fine, anything else is a usage error (already printed). */
export function commanderExitCode(error: CommanderError): ExitCode {
  return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? ExitCode.Ok : ExitCode.Usage;
}

/**
 * Errors of the libraries loaded on demand (audit, event store, flow tests), told by name so that
 * reporting an error never loads them.
 */
function isNamed(error: unknown, ...names: string[]): error is Error {
  return error instanceof Error && names.includes(error.name);
}
