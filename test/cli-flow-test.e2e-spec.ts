import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { orderFulfilmentWorkflow, orderTaskDefs } from '@app/samples';
import { hasNoStackTrace, runBaton } from './support/baton-cli';
import { tempDir } from './support/stack';

const order = { orderId: 'o-1', amount: 40, items: [], customer: { address: '1 Main St' } };
const accepted = {
  validate_order: [{ output: {} }],
  reserve_inventory: [{ output: { reservationId: 'r-1' } }],
  check_fraud: [{ output: { verdict: 'accept' } }],
  charge_payment: [{ status: 'FAILED', reason: 'gateway down' }, { output: { paymentId: 'p-1' } }],
  wait_payment_confirmation: [{ output: { confirmationId: 'c-1' } }, ],
  ship_order: [{ output: { trackingId: 'T-1' } }],
  notify_shipped: [{}],
};
const acceptedPath = ['validate_order', 'checks', 'reserve_inventory', 'check_fraud', 'checks_join', 'fraud_decision', 'charge_payment', 'charge_payment', 'wait_payment_confirmation', 'ship_order', 'notify_shipped'];

describe('baton test: flow tests in process, as a CI job runs them', () => {
  const dir = tempDir('cli-flow-test');
  const file = (name: string, content: unknown) => {
    const target = path.join(dir, name);
    writeFileSync(target, typeof content === 'string' ? content : JSON.stringify(content));
    return target;
  };
  const definition = file('order.json', orderFulfilmentWorkflow);
  const taskDefs = file('taskdefs.json', orderTaskDefs);

  it('given cases that hold, when run, then every case passes and the exit code is 0', async () => {
    const cases = file('passing.json', {
      cases: [
        { name: 'accepted, charged on the retry', input: order, taskRefToMockOutput: accepted, expect: { status: 'COMPLETED', path: acceptedPath, output: { paymentId: 'p-1', trackingId: 'T-1' } } },
        { name: 'rejected by the fraud check', input: order, taskRefToMockOutput: { ...accepted, check_fraud: [{ output: { verdict: 'reject' } }], notify_rejected: [{}] }, expect: { status: 'TERMINATED', tasks: { reject_order: 'COMPLETED' } } },
        { name: 'payment never answers', input: order, taskRefToMockOutput: { ...accepted, charge_payment: [{ status: 'TIMED_OUT' }, { status: 'TIMED_OUT' }, { status: 'TIMED_OUT' }, { status: 'TIMED_OUT' }] }, expect: { status: 'TIMED_OUT', reason: 'charge_payment' } },
      ],
    });

    const run = await runBaton(['test', definition, '--cases', cases, '--task-defs', taskDefs]);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('3 cases: 3 passed, 0 failed');
    const json = (await runBaton(['test', definition, '--cases', cases, '--task-defs', taskDefs, '--json'])).json<{ passed: number; cases: { name: string; path: string[] }[] }>();
    expect(json.passed).toBe(3);
    expect(json.cases[0]!.path).toEqual(acceptedPath);
  });

  it('given a case whose expected path is wrong, when run, then it fails with exit 1 and prints the expected and the actual path', async () => {
    const cases = file('failing.json', [
      { name: 'expects no retry', input: order, taskRefToMockOutput: accepted, expect: { status: 'COMPLETED', path: acceptedPath.filter((ref, i) => !(ref === 'charge_payment' && i === 7)) } },
      { name: 'still fine', input: order, taskRefToMockOutput: accepted, expect: { status: 'COMPLETED' } },
    ]);

    const run = await runBaton(['test', definition, '--cases', cases, '--task-defs', taskDefs]);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✗ expects no retry');
    expect(run.stdout).toContain('✓ still fine');
    expect(run.stdout).toContain('path differs at step 8 (expected wait_payment_confirmation, got charge_payment)');
    expect(run.stdout).toContain(`expected: ${acceptedPath.filter((ref, i) => !(ref === 'charge_payment' && i === 7)).join(' → ')}`);
    expect(run.stdout).toContain(`actual:   ${acceptedPath.join(' → ')}`);
    expect(run.stdout).toContain('2 cases: 1 passed, 1 failed');
  });

  it('given an invalid definition, when tested, then no case runs and the problems are named (exit 1)', async () => {
    const broken = file('broken.json', { ...orderFulfilmentWorkflow, tasks: [...orderFulfilmentWorkflow.tasks, { name: 'x', taskReferenceName: 'validate_order', type: 'SIMPLE' }] });
    const cases = file('one.json', [{ name: 'any', expect: { status: 'COMPLETED' } }]);

    const run = await runBaton(['test', broken, '--cases', cases]);

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/broken\.json: tasks\[\d+\]\.taskReferenceName: /);
  });

  it('given bad arguments or a malformed cases file, when run, then it is a usage error naming the argument or field (exit 2), never a stack trace', async () => {
    const malformed = file('malformed.json', { cases: [{ name: 'x', taskRefToMockOutput: { validate_order: [{ status: 'DONE' }] }, expect: { status: 'FINE' } }] });
    const runs = await Promise.all([
      runBaton(['test', definition]),
      runBaton(['test', definition, '--cases', path.join(dir, 'missing.json')]),
      runBaton(['test', definition, '--cases', file('not-json.json', '{ cases: [')]),
      runBaton(['test', definition, '--cases', malformed]),
    ]);

    expect(runs.map((run) => run.code)).toEqual([2, 2, 2, 2]);
    expect(runs[0]!.stderr).toContain("required option '--cases <file>' not specified");
    expect(runs[1]!.stderr).toContain('missing.json: no such file');
    expect(runs[2]!.stderr).toContain('not-json.json is not JSON');
    expect(runs[3]!.stderr).toContain('[0].taskRefToMockOutput.validate_order[0].status: must be one of');
    expect(runs[3]!.stderr).toContain('cases[0].expect.status: must be one of');
    expect(runs.every(hasNoStackTrace)).toBe(true);
  });
});
