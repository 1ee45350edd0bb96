import type { Command } from 'commander';
import { integerOption } from '../cli-context';
import type { CommandKit } from '../command-kit';
import { ExitCode, UsageError } from '../exit-codes';
import { timelineOf } from '../output/timeline';
import { printWorkflow } from './execution.commands';

/** Online audit: an execution's history as a timeline, its state at any point. */
export function registerAuditCommands(program: Command, kit: CommandKit): void {
  program
    .command('history')
    .description("an execution's events as a timeline: what happened, and who or what caused it")
    .argument('<id>', 'execution id')
    .action(kit.action(async (context, [id]) => {
      const history = await context.client().history(id as string);
      context.output.result(history, () =>
        context.output.table(['rev', 'recorded', 'event', 'what', 'actor', 'caused by'], timelineOf(history).map((entry) => [entry.revision, entry.recorded, entry.type, entry.what, entry.actor, entry.cause])),
      );
    }));

  program
    .command('state')
    .description('time travel: the execution as it was after a revision, or at a time')
    .argument('<id>', 'execution id')
    .option('--at-revision <n>', 'after this revision (0 is the first event)')
    .option('--at <time>', 'as it was at this time (ISO 8601 or epoch ms)')
    .action(kit.action<{ atRevision?: string; at?: string }>(async (context, [id], options) => {
      if (options.atRevision !== undefined && options.at !== undefined) throw new UsageError('give --at-revision or --at, not both');
      if (options.at !== undefined && !/^\d+$/.test(options.at) && Number.isNaN(Date.parse(options.at))) throw new UsageError(`--at must be an ISO-8601 time or epoch milliseconds, got "${options.at}"`);
      const state = await context.client().state(id as string, {
        ...(options.atRevision !== undefined ? { atRevision: integerOption('--at-revision', options.atRevision, 0) } : {}),
        ...(options.at !== undefined ? { at: options.at } : {}),
      });
      context.output.result(state, () => {
        context.output.line(`after revision ${state.revision ?? '(none)'} (${state.eventCount} of ${state.totalEvents} events, recorded ${state.recordedAt ?? '-'})`);
        printWorkflow(context.output, state.workflow);
      });
      return ExitCode.Ok;
    }));
}
