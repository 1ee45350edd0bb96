import { taskTypeOf, type WorkflowDef, type WorkflowTask } from './workflow-def';

/** Where a task sits in the definition tree, so the decider knows what follows it. */
export type TaskContainer =
  | { readonly kind: 'root' }
  | { readonly kind: 'switch-case'; readonly switchRef: string; readonly caseKey: string }
  | { readonly kind: 'fork-branch'; readonly forkRef: string; readonly branchIndex: number }
  | { readonly kind: 'loop'; readonly loopRef: string };

export interface TaskLocation {
  readonly task: WorkflowTask;
  readonly type: string;
  readonly container: TaskContainer;
  /** The list holding the task and its index there. */
  readonly siblings: readonly WorkflowTask[];
  readonly index: number;
}

/**
 * Navigation over a definition: reference name → location. Built once per definition object
 * (definitions are immutable snapshots) and cached weakly.
 */
export class DefinitionIndex {
  private readonly locations = new Map<string, TaskLocation>();

  private constructor(readonly definition: WorkflowDef) {
    this.visit(definition.tasks, { kind: 'root' });
  }

  private static readonly cache = new WeakMap<WorkflowDef, DefinitionIndex>();

  /** The index of a definition, built on first use. */
  static of(definition: WorkflowDef): DefinitionIndex {
    let index = DefinitionIndex.cache.get(definition);
    if (!index) {
      index = new DefinitionIndex(definition);
      DefinitionIndex.cache.set(definition, index);
    }
    return index;
  }

  /** Location of a reference name, or undefined when the definition has no such task. */
  find(taskRefName: string): TaskLocation | undefined {
    return this.locations.get(taskRefName);
  }

  /** Location of a reference name; throws when absent (a history that does not match its definition). */
  get(taskRefName: string): TaskLocation {
    const location = this.locations.get(taskRefName);
    if (!location) throw new Error(`definition ${this.definition.name} has no task ${taskRefName}`);
    return location;
  }

  /** The task after this one in the same list, if any. */
  nextSibling(taskRefName: string): WorkflowTask | undefined {
    const location = this.get(taskRefName);
    return location.siblings[location.index + 1];
  }

  /** The DO_WHILE loops enclosing a task, innermost first. */
  enclosingLoops(taskRefName: string): string[] {
    const loops: string[] = [];
    let container = this.find(taskRefName)?.container;
    while (container && container.kind !== 'root') {
      const owner = container.kind === 'fork-branch' ? container.forkRef : container.kind === 'switch-case' ? container.switchRef : container.loopRef;
      if (container.kind === 'loop') loops.push(owner);
      container = this.find(owner)?.container;
    }
    return loops;
  }

  /** Every reference name, in definition order. */
  referenceNames(): string[] {
    return [...this.locations.keys()];
  }

  private visit(tasks: readonly WorkflowTask[], container: TaskContainer): void {
    tasks.forEach((task, index) => {
      // Duplicates are rejected by validation; the first occurrence wins if one slips through.
      if (!this.locations.has(task.taskReferenceName)) {
        this.locations.set(task.taskReferenceName, { task, type: taskTypeOf(task), container, siblings: tasks, index });
      }
      for (const [caseKey, caseTasks] of Object.entries(task.decisionCases ?? {})) {
        this.visit(caseTasks, { kind: 'switch-case', switchRef: task.taskReferenceName, caseKey });
      }
      if (task.defaultCase) {
        this.visit(task.defaultCase, { kind: 'switch-case', switchRef: task.taskReferenceName, caseKey: DEFAULT_CASE });
      }
      (task.forkTasks ?? []).forEach((branch, branchIndex) => {
        this.visit(branch, { kind: 'fork-branch', forkRef: task.taskReferenceName, branchIndex });
      });
      if (task.loopOver) this.visit(task.loopOver, { kind: 'loop', loopRef: task.taskReferenceName });
    });
  }
}

/** Case key used for a SWITCH's `defaultCase`. */
export const DEFAULT_CASE = '__default__';
