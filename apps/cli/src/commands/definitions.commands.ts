import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { BatonApiError, type TaskDef, type ValidationProblem, type WorkflowDef } from '@app/client';
import { validateTaskDef } from '@app/domain';
import { readJsonFile } from '../cli-context';
import type { CommandKit } from '../command-kit';
import { ExitCode, UsageError } from '../exit-codes';

interface Found<T> {
  readonly file: string;
  /** Where in the file (`[2]` in an array file), for messages. */
  readonly at: string;
  readonly definition: T;
}

/** A problem of a definition, at its file and path. */
interface FileProblem {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

export function registerDefinitionCommands(program: Command, kit: CommandKit): void {
  const def = program.command('def').description('workflow and task definitions on the orchestrator');

  def
    .command('push')
    .description('register workflow and task definitions from JSON files (a file, or every *.json of a directory); nothing is pushed unless all are valid')
    .argument('<paths...>', 'files or directories')
    .action(kit.action(async (context, [paths]) => {
      const { workflows, taskDefs } = collect(paths as string[]);
      const client = context.client();
      const problems: FileProblem[] = [];
      for (const found of taskDefs) for (const problem of validateTaskDef(found.definition)) problems.push({ file: found.file, path: join(found.at, problem.path), message: problem.message });
      for (const found of workflows) {
        try {
          await client.validateWorkflow(found.definition);
        } catch (error) {
          if (!(error instanceof BatonApiError) || error.status !== 400) throw error;
          for (const problem of problemsOf(error)) problems.push({ file: found.file, path: join(found.at, problem.path), message: problem.message });
        }
      }
      if (problems.length > 0) {
        context.output.result({ pushed: false, problems }, () => {
          context.output.error(`${problems.length} problem(s); nothing was pushed`);
          for (const problem of problems) context.output.line(`${problem.file}: ${problem.path || '(root)'}: ${problem.message}`);
        });
        return ExitCode.CheckFailed;
      }
      if (taskDefs.length > 0) await client.putTaskDefs(taskDefs.map((found) => found.definition));
      if (workflows.length > 0) await client.putWorkflows(workflows.map((found) => found.definition));
      const summary = { pushed: true, workflows: workflows.map((found) => `${found.definition.name} v${found.definition.version ?? 1}`), taskDefs: taskDefs.map((found) => found.definition.name) };
      context.output.result(summary, () => {
        for (const name of summary.taskDefs) context.output.line(`✓ task definition ${name}`);
        for (const name of summary.workflows) context.output.line(`✓ workflow ${name}`);
      });
    }));

  def
    .command('list')
    .description('the registered workflow definitions (or task definitions)')
    .option('--task-defs', 'list task definitions instead')
    .action(kit.action<{ taskDefs?: boolean }>(async (context, _args, options) => {
      const client = context.client();
      if (options.taskDefs) {
        const taskDefs = await client.listTaskDefs();
        context.output.result(taskDefs, () =>
          context.output.table(['name', 'retries', 'retry logic', 'response timeout s', 'timeout s', 'timeout policy'], taskDefs.map((t) => [t.name, t.retryCount, t.retryLogic, t.responseTimeoutSeconds, t.timeoutSeconds, t.timeoutPolicy])),
        );
        return;
      }
      const workflows = await client.listWorkflows();
      context.output.result(workflows, () =>
        context.output.table(['name', 'version', 'tasks', 'description'], workflows.map((w) => [w.name, w.version ?? 1, w.tasks.length, w.description ?? ''])),
      );
    }));
}

/** The definitions in these files and directories: objects with `tasks` are workflows, other objects task definitions. */
function collect(paths: readonly string[]): { workflows: Found<WorkflowDef>[]; taskDefs: Found<TaskDef>[] } {
  const workflows: Found<WorkflowDef>[] = [];
  const taskDefs: Found<TaskDef>[] = [];
  for (const file of paths.flatMap(jsonFiles)) {
    const content = readJsonFile(file, 'definition file');
    const items = Array.isArray(content) ? content.map((item, i) => ({ at: `[${i}]`, item })) : [{ at: '', item: content }];
    for (const { at, item } of items) {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new UsageError(`${file}${at}: a definition must be a JSON object`);
      if ('tasks' in item) workflows.push({ file, at, definition: item as WorkflowDef });
      else if ('name' in item) taskDefs.push({ file, at, definition: item as TaskDef });
      else throw new UsageError(`${file}${at}: neither a workflow definition (it has no "tasks") nor a task definition (it has no "name")`);
    }
  }
  if (workflows.length + taskDefs.length === 0) throw new UsageError(`no definitions found in ${paths.join(', ')}`);
  return { workflows, taskDefs };
}

function jsonFiles(target: string): string[] {
  let stat;
  try {
    stat = statSync(target);
  } catch {
    throw new UsageError(`<paths>: ${target} does not exist`);
  }
  if (!stat.isDirectory()) return [target];
  return readdirSync(target).filter((name) => name.endsWith('.json')).sort().map((name) => path.join(target, name));
}

function problemsOf(error: BatonApiError): readonly ValidationProblem[] {
  return error.validationErrors.length > 0 ? error.validationErrors : [{ path: '', message: error.message }];
}

const join = (at: string, field: string): string => (at === '' ? field : field === '' ? at : `${at}.${field}`);
