import type { Command } from 'commander';
import { CliContext, type GlobalOptions } from './cli-context';
import type { ExitCode } from './exit-codes';
import type { CliStreams } from './output/cli-output';

/** What an action gets: the context, its positional arguments, its own options. */
export type CommandAction<O = Record<string, unknown>> = (context: CliContext, args: readonly unknown[], options: O) => Promise<ExitCode | void>;

/** Turns command bodies into commander actions that record the exit code. */
export class CommandKit {
  exitCode: ExitCode = 0;

  constructor(private readonly streams: CliStreams) {}

  action<O>(body: CommandAction<O>): (...args: unknown[]) => Promise<void> {
    return async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const options = args[args.length - 2] as O;
      const context = new CliContext(this.streams, command.optsWithGlobals() as GlobalOptions);
      this.exitCode = (await body(context, args.slice(0, -2), options)) ?? 0;
    };
  }
}
