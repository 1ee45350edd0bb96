import type { Command } from 'commander';
import type { ResultStatus } from '@app/client';
import { jsonObjectOption, type CliContext } from '../cli-context';
import type { CommandKit } from '../command-kit';
import { UsageError } from '../exit-codes';

const RESULT_STATUSES: readonly ResultStatus[] = ['COMPLETED', 'FAILED', 'FAILED_WITH_TERMINAL_ERROR', 'IN_PROGRESS'];

/** The operator controls (Conductor's), and signals to WAIT tasks. */
export function registerControlCommands(program: Command, kit: CommandKit): void {

  program.command('pause').description('pause a running execution (results are still recorded; nothing new is scheduled)').argument('<id>', 'execution id').option('--reason <text>', 'why')
    .action(kit.action<{ reason?: string }>(async (context, [id], options) => {
      await context.client().pause(id as string, options.reason);
      done(context, 'paused', id as string);
    }));

  program.command('resume').description('resume a paused execution').argument('<id>', 'execution id')
    .action(kit.action(async (context, [id]) => {
      await context.client().resume(id as string);
      done(context, 'resumed', id as string);
    }));

  program.command('terminate').description('terminate a running or paused execution').argument('<id>', 'execution id').option('--reason <text>', 'why', 'terminated with baton terminate')
    .action(kit.action<{ reason: string }>(async (context, [id], options) => {
      await context.client().terminate(id as string, options.reason);
      done(context, 'terminated', id as string);
    }));

  program.command('retry').description('retry an ended execution from its failed, timed-out and canceled tasks').argument('<id>', 'execution id')
    .action(kit.action(async (context, [id]) => {
      await context.client().retry(id as string);
      done(context, 'retried', id as string);
    }));

  program.command('rerun').description('rerun an ended execution from one of its tasks').argument('<id>', 'execution id')
    .requiredOption('--from-task <taskId>', 'the task id to run again (see baton get)')
    .option('--task-input <json>', "that task's new input, a JSON object")
    .option('--workflow-input <json>', 'a new workflow input, a JSON object')
    .action(kit.action<{ fromTask: string; taskInput?: string; workflowInput?: string }>(async (context, [id], options) => {
      await context.client().rerun(id as string, {
        reRunFromTaskId: options.fromTask,
        ...(options.taskInput !== undefined ? { taskInput: jsonObjectOption('--task-input', options.taskInput) } : {}),
        ...(options.workflowInput !== undefined ? { workflowInput: jsonObjectOption('--workflow-input', options.workflowInput) } : {}),
      });
      done(context, 'rerun', id as string);
    }));

  program.command('restart').description('run an ended execution again from the start').argument('<id>', 'execution id').option('--latest', 'on the latest registered definitions')
    .action(kit.action<{ latest?: boolean }>(async (context, [id], options) => {
      await context.client().restart(id as string, options.latest === true);
      done(context, 'restarted', id as string);
    }));

  program.command('skip').description('skip a pending task: it counts as done with the given output').argument('<id>', 'execution id').argument('<taskRef>', 'task reference name')
    .option('--output <json>', 'the output it counts as having produced', '{}')
    .action(kit.action<{ output: string }>(async (context, [id, ref], options) => {
      await context.client().skipTask(id as string, ref as string, jsonObjectOption('--output', options.output));
      done(context, `skipped ${ref as string} of`, id as string);
    }));

  program.command('signal').description('complete (or fail) the latest attempt of a task reference name, e.g. a WAIT').argument('<id>', 'execution id').argument('<taskRef>', 'task reference name')
    .option('--status <status>', RESULT_STATUSES.join(', '), 'COMPLETED')
    .option('--output <json>', 'the task output, a JSON object', '{}')
    .action(kit.action<{ status: string; output: string }>(async (context, [id, ref], options) => {
      if (!(RESULT_STATUSES as readonly string[]).includes(options.status)) throw new UsageError(`--status must be one of ${RESULT_STATUSES.join(', ')}, got "${options.status}"`);
      const taskId = await context.client().signal(id as string, ref as string, options.status as ResultStatus, jsonObjectOption('--output', options.output));
      context.output.result({ executionId: id, taskRefName: ref, taskId: taskId || null, kept: taskId === '' }, () =>
        context.output.line(taskId === '' ? `kept for ${ref as string}: the flow has not reached it yet` : `${options.status} ${ref as string} (${taskId})`),
      );
    }));
}

function done(context: CliContext, what: string, executionId: string): void {
  context.output.result({ executionId, done: what }, () => context.output.line(`${what} ${executionId}`));
}
