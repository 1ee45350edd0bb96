import { subjectProblem, subjectsOverlap } from './nats-subject';

describe('subjectProblem', () => {
  it.each(['orders.placed', 'orders.*', 'orders.>', '*.placed', '>', 'orders:eu.placed'])('given the subject %s, when checked, then it is valid', (subject) => {
    expect(subjectProblem(subject)).toBeUndefined();
  });

  it.each([
    ['', /empty/],
    ['orders..placed', /empty token/],
    ['orders.', /empty token/],
    ['orders placed', /whitespace/],
    ['orders.pl*', /'\*' must be a whole token/],
    ['orders.>.placed', /'>' must be the last token/],
    ['orders.a>', /'>' must be a whole token/],
    ['x'.repeat(257), /longer than 256/],
  ])('given the subject %j, when checked, then the problem says %s', (subject, problem) => {
    expect(subjectProblem(subject)).toMatch(problem);
  });
});

describe('subjectsOverlap', () => {
  it.each([
    ['baton.>', 'baton.task.>', true],
    ['baton.task.charge', 'baton.task.>', true],
    ['>', 'baton.result.>', true],
    ['*.task.x', 'baton.task.>', true],
    ['baton.*', 'baton.task.>', false],
    ['orders.*', 'orders.a.b', false],
    ['orders.placed', 'orders.placed', true],
    ['orders.placed', 'orders.paid', false],
    ['baton', 'baton.>', false],
    ['baton.execution.COMPLETED', 'baton.task.>', false],
  ])('given %s and %s, when compared, then overlapping is %s', (a, b, expected) => {
    expect(subjectsOverlap(a, b)).toBe(expected);
    expect(subjectsOverlap(b, a)).toBe(expected);
  });
});
