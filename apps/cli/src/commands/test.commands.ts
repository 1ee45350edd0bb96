import type { Command } from 'commander';
import type { TaskDef, WorkflowDef } from '@app/domain';
import type { FlowMismatch } from '@app/flow-testing';
import { readJsonFile } from '../cli-context';
import type { CommandKit } from '../command-kit';
import { ExitCode, UsageError } from '../exit-codes';

export function registerTestCommands(program: Command, kit: CommandKit): void {
  program
    .command('test')
    .description('run a workflow definition in process against test cases (mocked task outputs, virtual clock): no NATS, store or workers; exit 1 when a case fails')
    .argument('<definition>', 'a workflow definition (JSON)')
    .requiredOption('--cases <file>', 'the cases (JSON: { "cases": [ { "name", "input", "taskRefToMockOutput", "expect": { "status", "path", "output" } } ] })')
    .option('--task-defs <file>', "task definitions of the workflow's tasks (JSON array): retries and timeouts")
    .action(kit.action<{ cases: string; taskDefs?: string }>(async (context, [definitionFile], options) => {
      const { caseRequest, compareFlow, formatFlowMismatches, InvalidFlowDefinitionError, parseFlowCases, runWorkflowTest } = await import('@app/flow-testing');
      const definition = readJsonFile(definitionFile as string, 'workflow definition');
      if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) throw new UsageError(`${definitionFile as string} must hold one workflow definition (a JSON object)`);
      const taskDefs = options.taskDefs === undefined ? undefined : readJsonFile(options.taskDefs, 'task definitions');
      if (taskDefs !== undefined && !Array.isArray(taskDefs)) throw new UsageError(`--task-defs: ${options.taskDefs as string} must hold a JSON array of task definitions`);
      let cases;
      try {
        cases = parseFlowCases(readJsonFile(options.cases, 'cases file'));
      } catch (error) {
        if (error instanceof UsageError) throw error;
        throw new UsageError(`--cases ${options.cases}: ${error instanceof Error ? error.message : String(error)}`);
      }

      const { ScriptEngine } = await import('@app/scripts');
      const scripts = await ScriptEngine.load();
      const results: CaseOutcome[] = [];
      for (const testCase of cases) {
        const request = caseRequest(definition as WorkflowDef, { ...(taskDefs ? { taskDefs: taskDefs as TaskDef[] } : {}), ...testCase });
        try {
          const result = runWorkflowTest(request, { scripts });
          const mismatches = compareFlow(result, testCase.expect);
          results.push({ name: testCase.name, passed: mismatches.length === 0, status: result.status, path: result.path, output: result.output, ...(result.stalled ? { stalled: result.stalled } : {}), mismatches, report: formatFlowMismatches(mismatches, result) });
        } catch (error) {
          if (!(error instanceof InvalidFlowDefinitionError)) throw error;
          context.output.result({ passed: 0, failed: cases.length, problems: error.problems }, () => {
            context.output.error(`${definitionFile as string} is not a valid workflow definition; no case was run`);
            for (const problem of error.problems) context.output.line(`${definitionFile as string}: ${problem.path || '(root)'}: ${problem.message}`);
          });
          return ExitCode.CheckFailed;
        }
      }
      const failed = results.filter((result) => !result.passed).length;
      context.output.result({ passed: results.length - failed, failed, cases: results.map(({ report: _report, ...rest }) => rest) }, () => {
        for (const result of results) {
          context.output.line(`${result.passed ? context.output.colors.green('✓') : context.output.colors.red('✗')} ${result.name} (${result.status}, ${result.path.length} tasks)`);
          if (!result.passed) context.output.line(result.report.split('\n').map((line) => `    ${line}`).join('\n'));
        }
        context.output.line(`${results.length} cases: ${results.length - failed} passed, ${failed} failed`);
      });
      return failed === 0 ? ExitCode.Ok : ExitCode.CheckFailed;
    }));
}

interface CaseOutcome {
  readonly name: string;
  readonly passed: boolean;
  readonly status: string;
  readonly path: readonly string[];
  readonly output: Readonly<Record<string, unknown>>;
  readonly stalled?: string;
  readonly mismatches: readonly FlowMismatch[];
  /** The mismatches as text (expected and actual path…). */
  readonly report: string;
}
