import { effectiveRoles } from './roles';

describe('role hierarchy', () => {
  it.each([
    ['admin', ['admin', 'operator', 'worker', 'auditor', 'reader']],
    ['operator', ['operator', 'reader']],
    ['auditor', ['auditor', 'reader']],
    ['worker', ['worker']],
    ['reader', ['reader']],
  ] as const)('%s grants %j', (role, granted) => {
    expect([...effectiveRoles([role])].sort()).toEqual([...granted].sort());
  });

  it('combines the roles of a token', () => {
    expect([...effectiveRoles(['worker', 'auditor'])].sort()).toEqual(['auditor', 'reader', 'worker']);
  });
});
