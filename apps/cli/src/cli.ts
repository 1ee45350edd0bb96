import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_STORE, DEFAULT_URL } from './cli-context';
import { commanderExitCode, reportError } from './cli-errors';
import { CommandKit } from './command-kit';
import { registerAuditCommands } from './commands/audit.commands';
import { registerAuthCommands } from './commands/auth.commands';
import { registerControlCommands } from './commands/control.commands';
import { registerDefinitionCommands } from './commands/definitions.commands';
import { registerExecutionCommands } from './commands/execution.commands';
import { registerProjectionCommands } from './commands/projections.commands';
import { registerStoreCommands } from './commands/store.commands';
import { registerTestCommands } from './commands/test.commands';
import type { ExitCode } from './exit-codes';
import { CliOutput, type CliStreams } from './output/cli-output';

/** The `baton` program: every command and the global options (docs/cli.md). */
export function buildProgram(kit: CommandKit, streams: CliStreams): Command {
  const program = new Command('baton')
    .description('Baton: audit a store, move it, prove upgrades safe, test flows, and drive a running orchestrator')
    .version(process.env.npm_package_version ?? '0.1.0')
    .addOption(new Option('--json', 'print the result as JSON (errors as JSON on stderr)'))
    .addOption(new Option('--url <url>', 'the orchestrator, for online commands').env('BATON_URL').default(DEFAULT_URL))
    .addOption(new Option('--token <token>', 'API token, sent as Authorization: Bearer').env('BATON_TOKEN'))
    .addOption(new Option('--store <url>', `the event store, for offline commands: sqlite:<file> | esdb://host:2113?tls=false (default ${DEFAULT_STORE})`).env('BATON_EVENT_STORE'))
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => streams.stdout.write(text),
      writeErr: (text) => streams.stderr.write(text),
    });
  registerDefinitionCommands(program, kit);
  registerExecutionCommands(program, kit);
  registerControlCommands(program, kit);
  registerAuditCommands(program, kit);
  registerStoreCommands(program, kit);
  registerProjectionCommands(program, kit);
  registerTestCommands(program, kit);
  registerAuthCommands(program, kit);
  // Subcommands report usage errors the same way (exit 2) instead of exiting on their own.
  const override = (command: Command): void => {
    command.exitOverride().configureOutput({ writeOut: (text) => streams.stdout.write(text), writeErr: (text) => streams.stderr.write(text) }).showHelpAfterError('(run with --help for usage)');
    command.commands.forEach(override);
  };
  program.commands.forEach(override);
  return program;
}

/** Runs the CLI on `argv` (as `process.argv`); resolves with the exit code. */
export async function runCli(argv: readonly string[], streams: CliStreams): Promise<ExitCode> {
  const kit = new CommandKit(streams);
  const program = buildProgram(kit, streams);
  try {
    await program.parseAsync([...argv]);
    return kit.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExitCode(error);
    return reportError(new CliOutput(streams, argv.includes('--json')), error);
  }
}
