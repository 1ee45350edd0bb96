import type { Task, WorkflowDef, WorkflowTask } from '../api/types';
import { attemptsOf, buildDiagram, MAX_VISIBLE_BRANCHES, type Diagram } from './diagram-model';
import { layoutDiagram } from './diagram-layout';

let seq = 0;
function attempt(ref: string, status: Task['status'], extra: Partial<Task> = {}): Task {
  seq += 1;
  return {
    taskId: `x-${seq}`, taskType: 'SIMPLE', taskDefName: ref, referenceTaskName: ref, status, inputData: {}, outputData: {},
    retryCount: 0, seq, scheduledTime: 1_000 + seq, startTime: 1_000 + seq, endTime: 1_001 + seq, updateTime: 0, retried: false, ...extra,
  };
}
const simple = (ref: string): WorkflowTask => ({ name: ref, taskReferenceName: ref });
const statusOf = (diagram: Diagram, id: string) => diagram.nodes.find((node) => node.id === id)?.status;
const edge = (diagram: Diagram, source: string, target: string) => diagram.edges.find((e) => e.source === source && e.target === target);

const orderFlow: WorkflowDef = {
  name: 'order',
  tasks: [
    simple('validate'),
    { name: 'checks', taskReferenceName: 'checks', type: 'FORK_JOIN', forkTasks: [[simple('reserve')], [simple('fraud')]] },
    { name: 'checks_join', taskReferenceName: 'checks_join', type: 'JOIN', joinOn: ['reserve', 'fraud'] },
    {
      name: 'verdict', taskReferenceName: 'verdict', type: 'SWITCH', evaluatorType: 'value-param', expression: 'v',
      decisionCases: { reject: [simple('notify_rejected'), { name: 'stop', taskReferenceName: 'stop', type: 'TERMINATE' }] },
      defaultCase: [simple('charge'), { name: 'wait_confirm', taskReferenceName: 'wait_confirm', type: 'WAIT' }],
    },
    simple('ship'),
  ],
};

describe('the execution diagram', () => {
  it('given a definition and no run, then one node per task, all not run, flowing start to end', () => {
    const diagram = buildDiagram(orderFlow);
    expect(diagram.nodes.map((node) => node.id)).toEqual([
      'start', 't:validate', 't:checks', 't:reserve', 't:fraud', 't:checks_join', 't:verdict', 't:notify_rejected', 't:stop', 't:charge', 't:wait_confirm', 't:ship', 'end',
    ]);
    expect(diagram.nodes.filter((node) => node.kind === 'task').every((node) => node.status === 'NOT_RUN')).toBe(true);
    expect(edge(diagram, 't:checks', 't:reserve')).toBeDefined();
    expect(edge(diagram, 't:fraud', 't:checks_join')).toBeDefined();
    // A TERMINATE ends its branch: nothing follows it.
    expect(diagram.edges.filter((e) => e.source === 't:stop')).toEqual([]);
    expect(edge(diagram, 't:wait_confirm', 't:ship')).toMatchObject({ taken: false });
    expect(edge(diagram, 't:ship', 'end')).toBeDefined();
  });

  it('given a run that took the default case, then each node has its latest status and the taken branch is highlighted', () => {
    const tasks = [
      attempt('validate', 'COMPLETED'), attempt('checks', 'COMPLETED', { taskType: 'FORK_JOIN' }), attempt('reserve', 'FAILED'), attempt('reserve', 'COMPLETED', { retryCount: 1 }),
      attempt('fraud', 'COMPLETED'), attempt('checks_join', 'COMPLETED', { taskType: 'JOIN' }),
      attempt('verdict', 'COMPLETED', { taskType: 'SWITCH', outputData: { selectedCase: 'accept', evaluationResult: ['accept'] } }),
      attempt('charge', 'COMPLETED'), attempt('wait_confirm', 'IN_PROGRESS', { taskType: 'WAIT', endTime: 0 }),
    ];
    const diagram = buildDiagram(orderFlow, tasks, 'RUNNING');
    expect(statusOf(diagram, 't:reserve')).toBe('COMPLETED');
    expect(diagram.nodes.find((node) => node.id === 't:reserve')?.attempts).toBe(2);
    expect(statusOf(diagram, 't:wait_confirm')).toBe('IN_PROGRESS');
    expect(statusOf(diagram, 't:notify_rejected')).toBe('NOT_RUN');
    expect(diagram.nodes.find((node) => node.id === 't:verdict')?.selectedCase).toBe('accept');
    expect(edge(diagram, 't:verdict', 't:charge')).toMatchObject({ label: 'default', taken: true });
    expect(edge(diagram, 't:verdict', 't:notify_rejected')).toMatchObject({ label: 'reject', taken: false });
    expect(statusOf(diagram, 'end')).toBe('NOT_RUN');
  });

  it('given a DO_WHILE that ran 500 iterations, then its body once, the iteration count, and a way back', () => {
    const def: WorkflowDef = { name: 'loop', tasks: [{ name: 'loop', taskReferenceName: 'loop', type: 'DO_WHILE', loopCondition: 'true', loopOver: [simple('step'), { name: 'calc', taskReferenceName: 'calc', type: 'INLINE' }] }] };
    const tasks = [attempt('loop', 'COMPLETED', { taskType: 'DO_WHILE', outputData: { iteration: 500 } })];
    for (let iteration = 1; iteration <= 500; iteration += 1) tasks.push(attempt('step', 'COMPLETED', { outputData: { iteration } }), attempt('calc', 'COMPLETED', { taskType: 'INLINE' }));
    const diagram = buildDiagram(def, tasks, 'COMPLETED');
    expect(diagram.nodes.filter((node) => node.kind === 'task').map((node) => [node.ref, node.attempts])).toEqual([['loop', 1], ['step', 500], ['calc', 500]]);
    expect(diagram.nodes.find((node) => node.id === 'l:loop')).toMatchObject({ kind: 'loop-end', iterations: 500, name: '500 iterations' });
    expect(edge(diagram, 'l:loop', 't:loop')).toMatchObject({ loopBack: true, taken: true });
    expect(attemptsOf(diagram.nodes.find((node) => node.id === 't:step')!, tasks)).toHaveLength(500);
  });

  it('given a dynamic fork of 200 branches, then the branches it forked, the first ones shown and the rest folded with their statuses', () => {
    const def: WorkflowDef = { name: 'dyn', tasks: [{ name: 'fan', taskReferenceName: 'fan', type: 'FORK_JOIN_DYNAMIC' }, { name: 'fan_join', taskReferenceName: 'fan_join', type: 'JOIN' }] };
    const refs = Array.from({ length: 200 }, (_, index) => `b${index}`);
    const tasks = [attempt('fan', 'COMPLETED', { taskType: 'FORK_JOIN_DYNAMIC', outputData: { forkedTasks: refs } })];
    refs.forEach((ref, index) => tasks.push(attempt(ref, index === 150 ? 'FAILED' : 'COMPLETED', { workflowTask: { name: 'work', taskReferenceName: ref } })));
    const diagram = buildDiagram(def, tasks, 'FAILED');
    const branchNodes = diagram.nodes.filter((node) => node.dynamic && node.kind === 'task');
    expect(branchNodes).toHaveLength(MAX_VISIBLE_BRANCHES - 1);
    expect(branchNodes[0]).toMatchObject({ ref: 'b0', name: 'work', status: 'COMPLETED' });
    const folded = diagram.nodes.find((node) => node.kind === 'branches')!;
    expect(folded).toMatchObject({ name: `${200 - MAX_VISIBLE_BRANCHES + 1} more branches`, status: 'FAILED', folded: { byStatus: { COMPLETED: 188, FAILED: 1 } } });
    expect(edge(diagram, folded.id, 't:fan_join')).toBeDefined();
    expect(attemptsOf(folded, tasks)).toHaveLength(189);
  });

  it('given a dynamic fork that has not forked yet, then a placeholder for its branches', () => {
    const def: WorkflowDef = { name: 'dyn', tasks: [{ name: 'fan', taskReferenceName: 'fan', type: 'FORK_JOIN_DYNAMIC' }, { name: 'j', taskReferenceName: 'j', type: 'JOIN' }] };
    expect(buildDiagram(def).nodes.map((node) => node.kind)).toEqual(['start', 'task', 'dynamic-placeholder', 'task', 'end']);
  });

  it('given a SUB_WORKFLOW that started its child, then the node links to the child', () => {
    const def: WorkflowDef = { name: 'parent', tasks: [{ name: 'child', taskReferenceName: 'child', type: 'SUB_WORKFLOW', subWorkflowParam: { name: 'c' } }] };
    const diagram = buildDiagram(def, [attempt('child', 'IN_PROGRESS', { taskType: 'SUB_WORKFLOW', outputData: { subWorkflowId: 'child-id' } })], 'RUNNING');
    expect(diagram.nodes.find((node) => node.ref === 'child')?.subWorkflowId).toBe('child-id');
  });

  it('given a large diagram, when laid out, then every node has a place, flowing downwards, without overlaps in a rank', () => {
    const def: WorkflowDef = { name: 'wide', tasks: [{ name: 'f', taskReferenceName: 'f', type: 'FORK_JOIN', forkTasks: Array.from({ length: 8 }, (_, index) => [simple(`a${index}`), simple(`b${index}`)]) }, { name: 'j', taskReferenceName: 'j', type: 'JOIN' }] };
    const diagram = buildDiagram(def);
    const layout = layoutDiagram(diagram);
    expect(layout.positions.size).toBe(diagram.nodes.length);
    const y = (id: string) => layout.positions.get(id)!.y;
    expect(y('start')).toBeLessThan(y('t:f'));
    expect(y('t:f')).toBeLessThan(y('t:a0'));
    expect(y('t:a0')).toBeLessThan(y('t:b0'));
    expect(y('t:b7')).toBeLessThan(y('t:j'));
    const firstRank = Array.from({ length: 8 }, (_, index) => layout.positions.get(`t:a${index}`)!.x).sort((a, b) => a - b);
    firstRank.slice(1).forEach((x, index) => expect(x - firstRank[index]!).toBeGreaterThanOrEqual(220));
    expect(layoutDiagram(diagram).positions).toEqual(layout.positions);
  });
});
