import type { Task, WorkflowDef, WorkflowTask } from '../api/types';

export type NodeKind = 'start' | 'end' | 'task' | 'loop-end' | 'branches' | 'dynamic-placeholder';

/** A box of the diagram: a workflow task (with its latest attempt's status), or a marker. */
export interface DiagramNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** `taskReferenceName`, for task nodes and loop ends. */
  readonly ref?: string;
  readonly name?: string;
  /** The effective type: SIMPLE, SWITCH, FORK_JOIN, DO_WHILE… */
  readonly type?: string;
  /** The latest attempt's status, `NOT_RUN` when it never ran; start and end carry the execution's. */
  readonly status: string;
  /** Attempts of this reference name (every retry and every loop iteration). */
  readonly attempts: number;
  /** DO_WHILE: iterations run so far. */
  readonly iterations?: number;
  /** SUB_WORKFLOW: the child execution. */
  readonly subWorkflowId?: string;
  /** SWITCH: the case it took. */
  readonly selectedCase?: string;
  /** Added at run time by a FORK_JOIN_DYNAMIC. */
  readonly dynamic?: boolean;
  /** `branches`: the branches folded into this node, and how many of them are in each status. */
  readonly folded?: { readonly refs: readonly string[]; readonly byStatus: Readonly<Record<string, number>> };
  readonly width: number;
  readonly height: number;
}

export interface DiagramEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** A SWITCH case, or `default`. */
  readonly label?: string;
  /** The run went along it. */
  readonly taken: boolean;
  /** DO_WHILE: from the loop's end back to its start (drawn, not used for layout). */
  readonly loopBack?: boolean;
}

export interface Diagram {
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
}

/** Forks wider than this show their first branches and fold the rest into one node. */
export const MAX_VISIBLE_BRANCHES = 12;

export const NODE_SIZE: Readonly<Record<NodeKind, { width: number; height: number }>> = {
  task: { width: 220, height: 64 },
  start: { width: 40, height: 40 },
  end: { width: 40, height: 40 },
  'loop-end': { width: 150, height: 32 },
  branches: { width: 220, height: 64 },
  'dynamic-placeholder': { width: 220, height: 48 },
};

const STATUS_SEVERITY = ['FAILED', 'FAILED_WITH_TERMINAL_ERROR', 'TIMED_OUT', 'IN_PROGRESS', 'SCHEDULED', 'CANCELED', 'COMPLETED_WITH_ERRORS', 'SKIPPED', 'COMPLETED', 'NOT_RUN'];

/** The effective type of a workflow task (`SIMPLE` when absent, `DECISION` drawn as `SWITCH`). */
export function taskTypeOf(task: WorkflowTask): string {
  const type = task.type ?? 'SIMPLE';
  return type === 'DECISION' ? 'SWITCH' : type;
}

/** Where the flow continues from: a node, through an edge with this label and switch case. */
interface Exit {
  readonly from: string;
  readonly label?: string;
  /** Set for an edge leaving a SWITCH by one of its cases: taken only if that case was chosen. */
  readonly caseTaken?: boolean;
}

interface Attempts {
  readonly latest: Task;
  readonly count: number;
}

class DiagramBuilder {
  readonly nodes: DiagramNode[] = [];
  private readonly statusById = new Map<string, string>();
  readonly edges: DiagramEdge[] = [];
  private readonly byRef = new Map<string, Attempts>();
  private readonly taskByRef = new Map<string, WorkflowTask>();

  constructor(tasks: readonly Task[]) {
    for (const task of [...tasks].sort((a, b) => a.seq - b.seq)) {
      const previous = this.byRef.get(task.referenceTaskName);
      this.byRef.set(task.referenceTaskName, { latest: task, count: (previous?.count ?? 0) + 1 });
      if (task.workflowTask) this.taskByRef.set(task.referenceTaskName, task.workflowTask);
    }
  }

  push(node: DiagramNode): void {
    this.nodes.push(node);
    this.statusById.set(node.id, node.status);
  }

  statusOf(id: string): string {
    return this.statusById.get(id) ?? 'NOT_RUN';
  }

  private ran(id: string): boolean {
    const status = this.statusOf(id);
    return status !== 'NOT_RUN' && status !== 'NOT_STARTED';
  }

  connect(exits: readonly Exit[], target: string): void {
    for (const exit of exits) {
      const taken = exit.caseTaken !== false && this.ran(exit.from) && this.ran(target);
      this.edges.push({ id: `${exit.from}->${target}`, source: exit.from, target, taken, ...(exit.label !== undefined ? { label: exit.label } : {}) });
    }
  }

  /** Lays out a list of tasks run one after the other; returns where the flow leaves it. */
  sequence(tasks: readonly WorkflowTask[], entry: readonly Exit[]): Exit[] {
    let exits: Exit[] = [...entry];
    for (const task of tasks) exits = this.task(task, exits);
    return exits;
  }

  private taskNode(task: WorkflowTask, extra: Partial<DiagramNode> = {}): DiagramNode {
    const attempts = this.byRef.get(task.taskReferenceName);
    const type = taskTypeOf(task);
    const output = attempts?.latest.outputData ?? {};
    const node: DiagramNode = {
      id: `t:${task.taskReferenceName}`,
      kind: 'task',
      ref: task.taskReferenceName,
      name: task.name,
      type,
      status: attempts?.latest.status ?? 'NOT_RUN',
      attempts: attempts?.count ?? 0,
      ...(type === 'DO_WHILE' && typeof output['iteration'] === 'number' ? { iterations: output['iteration'] } : {}),
      ...(type === 'SUB_WORKFLOW' && typeof output['subWorkflowId'] === 'string' ? { subWorkflowId: output['subWorkflowId'] } : {}),
      ...(type === 'SWITCH' && attempts ? { selectedCase: selectedCaseOf(output) } : {}),
      ...NODE_SIZE.task,
      ...extra,
    };
    this.push(node);
    return node;
  }

  private task(task: WorkflowTask, entry: readonly Exit[]): Exit[] {
    const node = this.taskNode(task);
    this.connect(entry, node.id);
    switch (node.type) {
      case 'SWITCH':
        return this.switchCases(task, node);
      case 'FORK_JOIN':
        return this.branches(node, (task.forkTasks ?? []).filter((branch) => Array.isArray(branch) && branch.length > 0));
      case 'FORK_JOIN_DYNAMIC':
        return this.dynamicBranches(node);
      case 'DO_WHILE':
        return this.loop(task, node);
      case 'TERMINATE':
        return [];
      default:
        return [{ from: node.id }];
    }
  }

  private switchCases(task: WorkflowTask, node: DiagramNode): Exit[] {
    const cases = Object.entries(task.decisionCases ?? {}).filter(([, tasks]) => Array.isArray(tasks));
    const chosen = node.selectedCase === undefined ? undefined : cases.some(([value]) => value === node.selectedCase) ? node.selectedCase : 'default';
    const exits: Exit[] = [];
    for (const [value, tasks] of [...cases, ['default', task.defaultCase ?? []] as const]) {
      const caseTaken = chosen === value;
      const entry: Exit = { from: node.id, label: value, caseTaken };
      exits.push(...(tasks.length > 0 ? this.sequence(tasks, [entry]) : [entry]));
    }
    return exits;
  }

  private branches(node: DiagramNode, branches: readonly (readonly WorkflowTask[])[]): Exit[] {
    if (branches.length <= MAX_VISIBLE_BRANCHES) return branches.flatMap((branch) => this.sequence(branch, [{ from: node.id }]));
    const shown = branches.slice(0, MAX_VISIBLE_BRANCHES - 1);
    const folded = branches.slice(MAX_VISIBLE_BRANCHES - 1);
    const exits = shown.flatMap((branch) => this.sequence(branch, [{ from: node.id }]));
    const refs = folded.flatMap((branch) => allRefs(branch));
    const byStatus: Record<string, number> = {};
    for (const ref of refs) {
      const status = this.byRef.get(ref)?.latest.status ?? 'NOT_RUN';
      byStatus[status] = (byStatus[status] ?? 0) + 1;
    }
    const worst = STATUS_SEVERITY.find((status) => byStatus[status]) ?? 'NOT_RUN';
    const attempts = refs.reduce((sum, ref) => sum + (this.byRef.get(ref)?.count ?? 0), 0);
    const summary: DiagramNode = { id: `b:${node.ref}`, kind: 'branches', ref: node.ref, name: `${folded.length} more branches`, status: worst, attempts, folded: { refs, byStatus }, ...NODE_SIZE.branches };
    this.push(summary);
    this.connect([{ from: node.id }], summary.id);
    return [...exits, { from: summary.id }];
  }

  private dynamicBranches(node: DiagramNode): Exit[] {
    const forked = this.byRef.get(node.ref!)?.latest.outputData['forkedTasks'];
    const refs = Array.isArray(forked) ? forked.filter((ref): ref is string => typeof ref === 'string') : [];
    const branches = refs.map((ref): WorkflowTask[] => [this.taskByRef.get(ref) ?? { name: ref, taskReferenceName: ref }]);
    if (branches.length > 0) {
      const before = this.nodes.length;
      const exits = this.branches(node, branches);
      for (let index = before; index < this.nodes.length; index += 1) this.nodes[index] = { ...this.nodes[index]!, dynamic: true };
      return exits;
    }
    // Not forked yet: the branches are decided at run time.
    const placeholder: DiagramNode = { id: `d:${node.ref}`, kind: 'dynamic-placeholder', ref: node.ref, name: 'branches decided at run time', status: 'NOT_RUN', attempts: 0, dynamic: true, ...NODE_SIZE['dynamic-placeholder'] };
    this.push(placeholder);
    this.connect([{ from: node.id }], placeholder.id);
    return [{ from: placeholder.id }];
  }

  private loop(task: WorkflowTask, node: DiagramNode): Exit[] {
    const bodyExits = this.sequence(task.loopOver ?? [], [{ from: node.id }]);
    const end: DiagramNode = {
      id: `l:${node.ref}`,
      kind: 'loop-end',
      ref: node.ref,
      name: node.iterations ? `${node.iterations} iteration${node.iterations === 1 ? '' : 's'}` : 'loop',
      status: node.status,
      attempts: 0,
      ...(node.iterations !== undefined ? { iterations: node.iterations } : {}),
      ...NODE_SIZE['loop-end'],
    };
    this.push(end);
    this.connect(bodyExits, end.id);
    this.edges.push({ id: `${end.id}->${node.id}`, source: end.id, target: node.id, taken: (node.iterations ?? 0) > 1, loopBack: true, label: 'while condition' });
    return [{ from: end.id }];
  }
}

/** What a SWITCH chose, from its output (`selectedCase`, else Conductor's `evaluationResult[0]`). */
function selectedCaseOf(output: Readonly<Record<string, unknown>>): string | undefined {
  const selected = output['selectedCase'];
  if (typeof selected === 'string') return selected;
  const result = output['evaluationResult'];
  return Array.isArray(result) && result.length > 0 ? String(result[0]) : undefined;
}

/** Every reference name in a list of tasks, nested ones included. */
export function allRefs(tasks: readonly WorkflowTask[]): string[] {
  return tasks.flatMap((task) => [
    task.taskReferenceName,
    ...Object.values(task.decisionCases ?? {}).flatMap((list) => (Array.isArray(list) ? allRefs(list) : [])),
    ...allRefs(task.defaultCase ?? []),
    ...(task.forkTasks ?? []).flatMap((branch) => (Array.isArray(branch) ? allRefs(branch) : [])),
    ...allRefs(task.loopOver ?? []),
  ]);
}

/**
 * The diagram of an execution (or of a definition, with no tasks): one node per workflow task of
 * the definition snapshot, plus the branches a dynamic fork added at run time, each carrying its
 * latest attempt's status; edges for the flow, `taken` where the run went.
 */
export function buildDiagram(definition: WorkflowDef, tasks: readonly Task[] = [], executionStatus = 'NOT_STARTED'): Diagram {
  const builder = new DiagramBuilder(tasks);
  const started = tasks.length > 0 || executionStatus !== 'NOT_STARTED';
  builder.push({ id: 'start', kind: 'start', name: 'start', status: started ? 'COMPLETED' : 'NOT_RUN', attempts: 0, ...NODE_SIZE.start });
  const exits = builder.sequence(definition.tasks ?? [], [{ from: 'start' }]);
  const ended = executionStatus === 'COMPLETED' || executionStatus === 'FAILED' || executionStatus === 'TERMINATED' || executionStatus === 'TIMED_OUT';
  builder.push({ id: 'end', kind: 'end', name: 'end', status: ended ? executionStatus : 'NOT_RUN', attempts: 0, ...NODE_SIZE.end });
  builder.connect(exits, 'end');
  return { nodes: builder.nodes, edges: dedupeEdges(builder.edges) };
}

/** Two exits of one node to the same target (a SWITCH whose cases are all empty) make one edge. */
function dedupeEdges(edges: readonly DiagramEdge[]): DiagramEdge[] {
  const seen = new Map<string, DiagramEdge>();
  for (const edge of edges) {
    const existing = seen.get(edge.id);
    if (!existing) seen.set(edge.id, edge);
    else seen.set(edge.id, { ...existing, taken: existing.taken || edge.taken, label: [existing.label, edge.label].filter(Boolean).join(' / ') || undefined });
  }
  return [...seen.values()];
}

/** Every attempt of one node, oldest first (a loop's body task has one per iteration). */
export function attemptsOf(node: DiagramNode, tasks: readonly Task[]): Task[] {
  const refs = node.folded ? new Set(node.folded.refs) : new Set(node.ref ? [node.ref] : []);
  if (node.kind === 'loop-end') return [];
  return tasks.filter((task) => refs.has(task.referenceTaskName)).sort((a, b) => a.seq - b.seq);
}
