import type { WorkflowDef } from '@app/domain';
import type { FlowExpectation } from './flow-expectation';
import { MOCK_STATUSES, type WorkflowTestRequest } from './workflow-test-request';

/** One case of a cases file: a test request without the definition (the file's), and what it must do. */
export interface FlowTestCase extends Omit<WorkflowTestRequest, 'workflowDef'> {
  readonly name: string;
  readonly expect: FlowExpectation;
}

/** A problem in a cases file, at a JSON path. */
export interface CaseProblem {
  readonly path: string;
  readonly message: string;
}

/** A cases file that does not have the expected shape: every problem, each at its path. */
export class FlowCasesFormatError extends Error {
  constructor(readonly problems: readonly CaseProblem[]) {
    super(problems.map((problem) => `${problem.path}: ${problem.message}`).join('; '));
    this.name = 'FlowCasesFormatError';
  }
}

const EXECUTION_STATUSES = ['RUNNING', 'PAUSED', 'COMPLETED', 'FAILED', 'TERMINATED', 'TIMED_OUT'];
const TASK_STATUSES = ['SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'FAILED_WITH_TERMINAL_ERROR', 'TIMED_OUT', 'CANCELED', 'SKIPPED'];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a cases file's JSON: `{ "cases": [ … ] }` or a bare array. Each case has a `name`, an
 * `expect` (`status`, `path`, `output`, `tasks`, `reason`) and the fields of a
 * {@link WorkflowTestRequest} (`input`, `taskRefToMockOutput`, `subWorkflowTestRequest`, …).
 * Throws {@link FlowCasesFormatError} listing every problem.
 */
export function parseFlowCases(json: unknown): FlowTestCase[] {
  const problems: CaseProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const list = Array.isArray(json) ? json : isRecord(json) ? json['cases'] : undefined;
  const root = Array.isArray(json) ? '' : 'cases';
  if (!Array.isArray(list) || list.length === 0) throw new FlowCasesFormatError([{ path: root || '(root)', message: 'must be a non-empty array of cases' }]);
  const names = new Set<string>();
  list.forEach((item, index) => {
    const at = `${root}[${index}]`;
    if (!isRecord(item)) return add(at, 'must be an object');
    if (typeof item['name'] !== 'string' || item['name'] === '') add(`${at}.name`, 'must be a non-empty string');
    else if (names.has(item['name'])) add(`${at}.name`, `"${item['name']}" names another case too`);
    else names.add(item['name']);
    checkRequest(item, at, add, false);
    checkExpectation(item['expect'], `${at}.expect`, add);
  });
  if (problems.length > 0) throw new FlowCasesFormatError(problems);
  return list as FlowTestCase[];
}

type Add = (path: string, message: string) => void;

function checkRequest(request: Record<string, unknown>, at: string, add: Add, needsDefinition: boolean): void {
  if (needsDefinition && !isRecord(request['workflowDef'])) add(`${at}.workflowDef`, 'must be the child workflow definition (an object)');
  if (request['input'] !== undefined && !isRecord(request['input'])) add(`${at}.input`, 'must be an object');
  if (request['correlationId'] !== undefined && typeof request['correlationId'] !== 'string') add(`${at}.correlationId`, 'must be a string');
  if (request['startTime'] !== undefined && !Number.isFinite(request['startTime'])) add(`${at}.startTime`, 'must be epoch milliseconds');
  if (request['maxSteps'] !== undefined && !(Number.isInteger(request['maxSteps']) && (request['maxSteps'] as number) > 0)) add(`${at}.maxSteps`, 'must be a positive integer');
  if (request['taskDefs'] !== undefined && !isRecord(request['taskDefs']) && !Array.isArray(request['taskDefs'])) add(`${at}.taskDefs`, 'must be an array of task definitions or an object of them by name');
  const mocks = request['taskRefToMockOutput'];
  if (mocks !== undefined) {
    if (!isRecord(mocks)) add(`${at}.taskRefToMockOutput`, 'must be an object of mocked attempts by task reference name');
    else for (const [ref, attempts] of Object.entries(mocks)) checkAttempts(attempts, `${at}.taskRefToMockOutput.${ref}`, add);
  }
  const children = request['subWorkflowTestRequest'];
  if (children !== undefined) {
    if (!isRecord(children)) add(`${at}.subWorkflowTestRequest`, 'must be an object of test requests by SUB_WORKFLOW reference name');
    else for (const [ref, child] of Object.entries(children)) {
      if (!isRecord(child)) add(`${at}.subWorkflowTestRequest.${ref}`, 'must be an object');
      else checkRequest(child, `${at}.subWorkflowTestRequest.${ref}`, add, true);
    }
  }
}

function checkAttempts(attempts: unknown, at: string, add: Add): void {
  if (!Array.isArray(attempts)) return add(at, 'must be an array of mocked attempts ({ status, output, reason, executionTime })');
  attempts.forEach((attempt, index) => {
    const path = `${at}[${index}]`;
    if (!isRecord(attempt)) return add(path, 'must be an object');
    if (attempt['status'] !== undefined && !(MOCK_STATUSES as readonly unknown[]).includes(attempt['status'])) add(`${path}.status`, `must be one of ${MOCK_STATUSES.join(', ')}`);
    if (attempt['output'] !== undefined && !isRecord(attempt['output'])) add(`${path}.output`, 'must be an object');
    if (attempt['reason'] !== undefined && typeof attempt['reason'] !== 'string') add(`${path}.reason`, 'must be a string');
    for (const field of ['executionTime', 'queueWaitTime']) {
      const value = attempt[field];
      if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) add(`${path}.${field}`, 'must be a number of milliseconds ≥ 0');
    }
  });
}

function checkExpectation(expectation: unknown, at: string, add: Add): void {
  if (!isRecord(expectation)) return add(at, 'must be an object (status, path, output, tasks, reason)');
  const known = ['status', 'path', 'output', 'tasks', 'reason'];
  for (const key of Object.keys(expectation)) if (!known.includes(key)) add(`${at}.${key}`, `is not an expectation (use ${known.join(', ')})`);
  if (Object.keys(expectation).length === 0) add(at, 'expects nothing: give at least one of status, path, output, tasks, reason');
  if (expectation['status'] !== undefined && !EXECUTION_STATUSES.includes(expectation['status'] as string)) add(`${at}.status`, `must be one of ${EXECUTION_STATUSES.join(', ')}`);
  const path = expectation['path'];
  if (path !== undefined && !(Array.isArray(path) && path.every((ref) => typeof ref === 'string'))) add(`${at}.path`, 'must be an array of task reference names');
  if (expectation['output'] !== undefined && !isRecord(expectation['output'])) add(`${at}.output`, 'must be an object');
  const tasks = expectation['tasks'];
  if (tasks !== undefined) {
    if (!isRecord(tasks)) add(`${at}.tasks`, 'must be an object of task statuses by reference name');
    else for (const [ref, status] of Object.entries(tasks)) if (!TASK_STATUSES.includes(status as string)) add(`${at}.tasks.${ref}`, `must be one of ${TASK_STATUSES.join(', ')}`);
  }
  if (expectation['reason'] !== undefined && typeof expectation['reason'] !== 'string') add(`${at}.reason`, 'must be a string');
}

/** The test request of one case of a file, on the file's definition. */
export function caseRequest(definition: WorkflowDef, testCase: FlowTestCase): WorkflowTestRequest {
  const { name: _name, expect: _expect, ...request } = testCase;
  return { ...request, workflowDef: definition };
}
