import { StepAgenda } from './step-agenda';

describe('StepAgenda', () => {
  it('runs queued steps in the order plain recursion would: each step with all it queues before the next', () => {
    const agenda = new StepAgenda();
    const order: string[] = [];
    const visit = (name: string, children: readonly string[]) => () => {
      order.push(name);
      for (const child of children) agenda.run(visit(`${name}.${child}`, child === 'a' && name.split('.').length < 3 ? ['a', 'b'] : []));
    };
    agenda.run(visit('root', ['a', 'b']));
    expect(order).toEqual(['root', 'root.a', 'root.a.a', 'root.a.a.a', 'root.a.a.b', 'root.a.b', 'root.b']);
  });

  it('runs a chain of 100,000 steps without growing the stack', () => {
    const agenda = new StepAgenda();
    let count = 0;
    const step = (): void => {
      count += 1;
      if (count < 100_000) agenda.run(step);
    };
    agenda.run(step);
    expect(count).toBe(100_000);
  });

  it('drops what a throwing step left queued, so the next run starts clean', () => {
    const agenda = new StepAgenda();
    const order: string[] = [];
    expect(() =>
      agenda.run(() => {
        agenda.run(() => order.push('never'));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    agenda.run(() => order.push('next'));
    expect(order).toEqual(['next']);
  });
});
