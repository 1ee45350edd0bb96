import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Optional, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiJsonResponse } from './openapi/api-responses.decorator';
import { plainToInstance } from 'class-transformer';
import { BatonError, initialState, replay, taskDefSnapshot, type WorkflowDef } from '@app/domain';
import { DefinitionRegistry } from '../definitions/definition-registry.service';
import type { CauseMetadata } from '../executions/execution.repository';
import { ExecutionService } from '../executions/execution.service';
import { ExecutionWaiter } from '../executions/execution-waiter';
import { WorkflowDefinitionNotFoundError } from '../executions/orchestrator.errors';
import { WORKFLOW_TEST_RUNNER, type TaskMock, type WorkflowTestRun, type WorkflowTestRunner } from '../flow-testing/workflow-test-runner.port';
import { RequestValidationError } from './api-exception.filter';
import { toConductorWorkflow } from './conductor.mapper';
import { checkedWorkflow } from './definition-input';
import { StartWorkflowRequestDto } from './dto/start-workflow-request.dto';
import { RequestCause } from './request-cause.decorator';
import { problemsOf } from './validation';
import { returnStrategyOf, workflowRunView } from './workflow-run.view';
import { startRequestOf } from './workflow.controller';
import { Roles } from '../auth/roles';

const DEFAULT_WAIT_SECONDS = 10;
/** A synchronous call holds its HTTP request at most this long. */
const MAX_WAIT_SECONDS = 300;
/** Nested sub-workflow test requests beyond this depth are refused (a request cannot recurse forever). */
const MAX_TEST_DEPTH = 8;

/** Conductor's synchronous execution and its mock-driven workflow test. */
@ApiTags('workflow')
@Controller('api/workflow')
export class WorkflowExecuteController {
  constructor(
    private readonly executions: ExecutionService,
    private readonly waiter: ExecutionWaiter,
    private readonly registry: DefinitionRegistry,
    @Optional() @Inject(WORKFLOW_TEST_RUNNER) private readonly testRunner?: WorkflowTestRunner,
  ) {}

  @Roles('operator')
  @Post('execute/:name/:version')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Start an execution and wait (waitForSeconds, default 10) until it ends, blocks on a WAIT without duration/until or a HUMAN task, or a waitUntilTaskRef task ends; answers WorkflowRun (signalTimeout=true when the time ran out)',
  })
  @ApiBody({ type: StartWorkflowRequestDto })
  @ApiJsonResponse('WorkflowRun')
  async execute(
    @Param('name') name: string,
    @Param('version') versionParam: string,
    @Body() body: unknown,
    @RequestCause() cause: CauseMetadata,
    @Query('requestId') requestIdParam?: string,
    @Query('waitUntilTaskRef') waitUntilTaskRef?: string,
    @Query('waitForSeconds') waitForSecondsParam?: string,
    @Query('returnStrategy') returnStrategyParam?: string,
  ): Promise<Record<string, unknown>> {
    const version = Number(versionParam);
    if (!Number.isInteger(version) || version < 0) throw new RequestValidationError([{ path: 'version', message: 'version must be an integer ≥ 0 (0: the latest)' }]);
    const waitSeconds = waitForSecondsParam === undefined || waitForSecondsParam === '' ? DEFAULT_WAIT_SECONDS : Number(waitForSecondsParam);
    if (!Number.isInteger(waitSeconds) || waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) throw new RequestValidationError([{ path: 'waitForSeconds', message: `waitForSeconds must be an integer from 0 to ${MAX_WAIT_SECONDS}` }]);
    const strategy = returnStrategyOf(returnStrategyParam);
    const request = startRequestDto({ ...(isObject(body) ? body : {}), name, ...(version > 0 ? { version } : {}) });
    const requestId = requestIdParam || randomUUID();
    const { executionId } = await this.executions.start(startRequestOf(request), cause);
    const outcome = await this.waiter.waitFor(executionId, {
      untilTaskRefs: (waitUntilTaskRef ?? '').split(',').map((ref) => ref.trim()).filter(Boolean),
      timeoutMs: (waitSeconds === 0 ? DEFAULT_WAIT_SECONDS : waitSeconds) * 1000,
    });
    return workflowRunView(outcome, strategy, requestId);
  }

  @Roles('operator')
  @Post('test')
  @HttpCode(200)
  @ApiOperation({ summary: "Run a definition against mocked task outputs (Conductor's WorkflowTestRequest) in process — no worker, nothing stored — and answer the Workflow it produced" })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  @ApiJsonResponse('Workflow')
  test(@Body() body: unknown): Record<string, unknown> {
    if (!this.testRunner) throw new BatonError('NOT_SERVED', 'POST /api/workflow/test is not available: this orchestrator was built without the flow-test engine');
    const run = this.testRun(body, '', 0);
    const state = replay(this.testRunner.run(run).events, initialState(run.executionId));
    return toConductorWorkflow(state, true);
  }

  private testRun(body: unknown, path: string, depth: number): WorkflowTestRun {
    if (depth > MAX_TEST_DEPTH) throw new RequestValidationError([{ path, message: `sub-workflow test requests nest at most ${MAX_TEST_DEPTH} deep` }]);
    const request = startRequestDto(body, path);
    const { taskRefToMockOutput, subWorkflowTestRequest } = body as { taskRefToMockOutput?: unknown; subWorkflowTestRequest?: unknown };
    const definition: WorkflowDef | undefined = request.workflowDef ? checkedWorkflow(request.workflowDef, `${path}workflowDef.`) : this.registry.getWorkflow(request.name, request.version);
    if (!definition) throw new WorkflowDefinitionNotFoundError(request.name, request.version);
    const children: Record<string, WorkflowTestRun> = {};
    for (const [ref, child] of Object.entries(mapOf(subWorkflowTestRequest, `${path}subWorkflowTestRequest`))) {
      children[ref] = this.testRun(child, `${path}subWorkflowTestRequest.${ref}.`, depth + 1);
    }
    return {
      workflowDef: definition,
      taskDefs: taskDefSnapshot(definition, this.registry.taskDefsByName()),
      input: request.input ?? {},
      ...(request.correlationId !== undefined ? { correlationId: request.correlationId } : {}),
      ...(request.priority !== undefined ? { priority: request.priority } : {}),
      taskRefToMockOutput: mocksOf(taskRefToMockOutput, `${path}taskRefToMockOutput`),
      subWorkflowTestRequest: children,
      executionId: `test-${randomUUID()}`,
      startTime: Date.now(),
    };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A StartWorkflowRequest body checked field by field (400 naming each problem). */
function startRequestDto(body: unknown, prefix = ''): StartWorkflowRequestDto {
  const problems = problemsOf(StartWorkflowRequestDto, body);
  if (problems.length > 0) throw new RequestValidationError(problems.map((problem) => ({ ...problem, path: `${prefix}${problem.path}` })));
  return plainToInstance(StartWorkflowRequestDto, body);
}

function mapOf(value: unknown, path: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new RequestValidationError([{ path, message: `${path} must be an object keyed by task reference name` }]);
  return value;
}

const MOCK_STATUSES: ReadonlySet<string> = new Set(['COMPLETED', 'FAILED', 'FAILED_WITH_TERMINAL_ERROR', 'IN_PROGRESS', 'TIMED_OUT']);

function mocksOf(value: unknown, path: string): Record<string, TaskMock[]> {
  const mocks: Record<string, TaskMock[]> = {};
  for (const [ref, list] of Object.entries(mapOf(value, path))) {
    if (!Array.isArray(list)) throw new RequestValidationError([{ path: `${path}.${ref}`, message: 'must be a list of mocked attempts' }]);
    mocks[ref] = list.map((mock: unknown, i) => {
      const at = `${path}.${ref}[${i}]`;
      if (!isObject(mock)) throw new RequestValidationError([{ path: at, message: 'must be an object { status, output }' }]);
      if (mock.status !== undefined && !MOCK_STATUSES.has(String(mock.status))) throw new RequestValidationError([{ path: `${at}.status`, message: `status must be one of ${[...MOCK_STATUSES].join(', ')}` }]);
      if (mock.output !== undefined && !isObject(mock.output)) throw new RequestValidationError([{ path: `${at}.output`, message: 'output must be an object' }]);
      return mock as TaskMock;
    });
  }
  return mocks;
}
