import type { Command } from 'commander';
import type { Workflow } from '@app/client';
import { integerOption, jsonObjectOption } from '../cli-context';
import type { CommandKit } from '../command-kit';
import { UsageError } from '../exit-codes';
import type { CliOutput } from '../output/cli-output';
import { compact, formatTime } from '../output/format';

const STRATEGIES = ['FAIL', 'RETURN_EXISTING', 'FAIL_ON_RUNNING'] as const;
const STATUSES = ['RUNNING', 'PAUSED', 'COMPLETED', 'FAILED', 'TERMINATED', 'TIMED_OUT'];

interface StartOptions { input?: string; version?: string; correlationId?: string; priority?: string; idempotencyKey?: string; idempotencyStrategy?: string }
interface SearchOptions { workflow?: string; status?: string; correlationId?: string; query?: string; freeText?: string; size?: string; start?: string; sort?: string }

export function registerExecutionCommands(program: Command, kit: CommandKit): void {
  program
    .command('start')
    .description('start an execution of a workflow; prints its id')
    .argument('<name>', 'workflow name')
    .option('--input <json>', 'the workflow input, a JSON object', '{}')
    .option('--version <n>', 'the definition version (default: the latest)')
    .option('--correlation-id <id>', 'correlation id')
    .option('--priority <n>', 'priority 0–99')
    .option('--idempotency-key <key>', 'start at most once per key (per workflow)')
    .option('--idempotency-strategy <strategy>', `what a reused key does: ${STRATEGIES.join(', ')}`)
    .action(kit.action<StartOptions>(async (context, [name], options) => {
      const strategy = options.idempotencyStrategy;
      if (strategy !== undefined && !(STRATEGIES as readonly string[]).includes(strategy)) throw new UsageError(`--idempotency-strategy must be one of ${STRATEGIES.join(', ')}, got "${strategy}"`);
      const request = {
        name: name as string,
        input: jsonObjectOption('--input', options.input ?? '{}'),
        ...(options.version !== undefined ? { version: integerOption('--version', options.version, 1) } : {}),
        ...(options.correlationId !== undefined ? { correlationId: options.correlationId } : {}),
        ...(options.priority !== undefined ? { priority: integerOption('--priority', options.priority, 0, 99) } : {}),
        ...(options.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}),
        ...(strategy !== undefined ? { idempotencyStrategy: strategy as (typeof STRATEGIES)[number] } : {}),
      };
      const executionId = await context.client().start(request);
      context.output.result({ executionId }, () => context.output.line(executionId));
    }));

  program
    .command('get')
    .description("an execution's status, input, output and tasks")
    .argument('<id>', 'execution id')
    .action(kit.action(async (context, [id]) => {
      const workflow = await context.client().get(id as string);
      context.output.result(workflow, () => printWorkflow(context.output, workflow));
    }));

  program
    .command('search')
    .description('search executions (the read model)')
    .option('--workflow <name>', 'workflow name')
    .option('--status <statuses>', `comma-separated: ${STATUSES.join(', ')}`)
    .option('--correlation-id <id>', 'correlation id')
    .option('--query <query>', 'a raw query, e.g. "workflowType = x AND status IN (FAILED,TIMED_OUT)" (combined with the options above by AND)')
    .option('--free-text <text>', 'substring of the id, correlation id or workflow name')
    .option('--size <n>', 'results per page (1–1000)', '100')
    .option('--start <n>', 'offset', '0')
    .option('--sort <sort>', 'field:ASC|DESC, comma-separated', 'createdAt:DESC')
    .action(kit.action<SearchOptions>(async (context, _args, options) => {
      const clauses: string[] = [];
      if (options.workflow) clauses.push(`workflowType = ${options.workflow}`);
      if (options.status) {
        const statuses = options.status.split(',').map((status) => status.trim().toUpperCase());
        const unknown = statuses.find((status) => !STATUSES.includes(status));
        if (unknown !== undefined) throw new UsageError(`--status must be among ${STATUSES.join(', ')}, got "${unknown}"`);
        clauses.push(`status IN (${statuses.join(',')})`);
      }
      if (options.correlationId) clauses.push(`correlationId = ${options.correlationId}`);
      if (options.query) clauses.push(options.query);
      const result = await context.client().search({
        ...(clauses.length > 0 ? { query: clauses.join(' AND ') } : {}),
        ...(options.freeText ? { freeText: options.freeText } : {}),
        size: integerOption('--size', options.size ?? '100', 1, 1000),
        start: integerOption('--start', options.start ?? '0', 0),
        ...(options.sort ? { sort: options.sort } : {}),
      });
      context.output.result(result, () => {
        context.output.table(['execution', 'workflow', 'status', 'correlation id', 'started', 'ended', 'reason'], result.results.map((hit) => [
          hit.workflowId, `${hit.workflowType} v${hit.version}`, hit.status, hit.correlationId, formatTime(hit.startTime), formatTime(hit.endTime), compact(hit.reasonForIncompletion, 50),
        ]));
        context.output.line(`${result.results.length} of ${result.totalHits}`);
      });
    }));
}

/** An execution for people: a summary, then its tasks. */
export function printWorkflow(output: CliOutput, workflow: Workflow): void {
  output.line(`${workflow.workflowId}  ${workflow.workflowName} v${workflow.workflowVersion}  ${output.colors.bold(workflow.status)}`);
  if (workflow.correlationId) output.line(`correlation id: ${workflow.correlationId}`);
  output.line(`started ${formatTime(workflow.createTime)}${workflow.endTime ? `, ended ${formatTime(workflow.endTime)}` : ''}`);
  if (workflow.reasonForIncompletion) output.line(`reason: ${workflow.reasonForIncompletion}`);
  output.line(`input:  ${compact(workflow.input, 200)}`);
  output.line(`output: ${compact(workflow.output, 200)}`);
  output.table(['#', 'task', 'type', 'attempt', 'status', 'worker', 'output / reason'], (workflow.tasks ?? []).map((task) => [
    task.seq, task.referenceTaskName, task.taskType, task.retryCount + 1, task.status, task.workerId, task.reasonForIncompletion ?? compact(task.outputData, 60),
  ]));
}
