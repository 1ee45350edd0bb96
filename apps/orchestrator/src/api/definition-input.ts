import { validateTaskDef, validateWorkflowDef, type TaskDef, type WorkflowDef } from '@app/domain';
import { InvalidDefinitionError } from '../executions/orchestrator.errors';
import { TaskDefDto } from './dto/task-def.dto';
import { WorkflowDefDto } from './dto/workflow-def.dto';
import { problemsOf, type FieldProblem } from './validation';

/** Shape problems (class-validator) and semantic problems (the domain), all of them, or the definition. */
export function checkedWorkflow(body: unknown, prefix = ''): WorkflowDef {
  const shape = problemsOf(WorkflowDefDto, body);
  const semantic = shape.some((p) => p.path === '' || p.path === 'tasks') ? [] : semanticProblems(body as WorkflowDef);
  const problems = [...shape, ...semantic.filter((s) => !shape.some((p) => p.path === s.path))];
  if (problems.length > 0) throw new InvalidDefinitionError(problems.map((p) => ({ path: `${prefix}${p.path}`, message: p.message })));
  const definition = body as WorkflowDef;
  return { ...definition, version: definition.version ?? 1, schemaVersion: 2 };
}

/**
 * The domain validator's problems. It can trip over a task tree of the wrong shape (a `null` task
 * inside a fork); that is still the client's mistake, so the shape problems become the 400.
 */
function semanticProblems(definition: WorkflowDef): FieldProblem[] {
  try {
    return validateWorkflowDef(definition);
  } catch (error) {
    const problems = malformedTaskTree(definition.tasks, 'tasks');
    if (problems.length === 0) throw error;
    return problems;
  }
}

/** Entries of a task tree that are not tasks, and containers (cases, branches) that are not lists. */
function malformedTaskTree(tasks: unknown, path: string): FieldProblem[] {
  if (!Array.isArray(tasks)) return [{ path, message: 'must be an array of tasks' }];
  return tasks.flatMap((task: unknown, i): FieldProblem[] => {
    const at = `${path}[${i}]`;
    if (typeof task !== 'object' || task === null || Array.isArray(task)) return [{ path: at, message: 'must be a task object' }];
    const { decisionCases, defaultCase, forkTasks } = task as Record<string, unknown>;
    const problems: FieldProblem[] = [];
    if (decisionCases !== undefined && decisionCases !== null) {
      if (typeof decisionCases !== 'object' || Array.isArray(decisionCases)) problems.push({ path: `${at}.decisionCases`, message: 'must map case values to task lists' });
      else for (const [key, caseTasks] of Object.entries(decisionCases)) problems.push(...malformedTaskTree(caseTasks, `${at}.decisionCases.${key}`));
    }
    if (defaultCase !== undefined && defaultCase !== null) problems.push(...malformedTaskTree(defaultCase, `${at}.defaultCase`));
    if (forkTasks !== undefined && forkTasks !== null) {
      if (!Array.isArray(forkTasks)) problems.push({ path: `${at}.forkTasks`, message: 'must be an array of task lists (one per branch)' });
      else forkTasks.forEach((branch: unknown, b) => problems.push(...malformedTaskTree(branch, `${at}.forkTasks[${b}]`)));
    }
    return problems;
  });
}

export function checkedTaskDef(body: unknown, prefix: string): TaskDef {
  const shape = problemsOf(TaskDefDto, body);
  const semantic = shape.some((p) => p.path === '') ? [] : validateTaskDef(body as TaskDef);
  const problems = [...shape, ...semantic.filter((s) => !shape.some((p) => p.path === s.path))];
  if (problems.length > 0) throw new InvalidDefinitionError(problems.map((p) => ({ path: `${prefix}${p.path}`, message: p.message })), 'task definition');
  return body as TaskDef;
}
