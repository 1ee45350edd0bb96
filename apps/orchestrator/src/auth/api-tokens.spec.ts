import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadApiTokens, parseApiTokens, tokenHash, TokenRegistry } from './api-tokens';

const ALICE = tokenHash('alice-secret');
const WORKER = tokenHash('worker-secret');

describe('API tokens', () => {
  it('parses a JSON list and a YAML document alike', () => {
    const json = parseApiTokens(JSON.stringify([{ name: 'alice', sha256: ALICE, roles: ['operator'] }]), 'test');
    const yaml = parseApiTokens(`tokens:\n  - name: alice\n    sha256: ${ALICE.toUpperCase()}\n    roles: [operator]\n`, 'test');
    expect(yaml).toEqual(json);
    expect(json).toEqual([{ name: 'alice', sha256: ALICE, roles: ['operator'] }]);
  });

  it.each([
    ['a list', '{}', 'test: expected a list'],
    ['a hash of 64 hex digits', JSON.stringify([{ name: 'a', sha256: 'abc', roles: ['reader'] }]), 'test[0].sha256: 64 hex digits'],
    ['known roles', JSON.stringify([{ name: 'a', sha256: ALICE, roles: ['root'] }]), 'test[0].roles: a non-empty list of admin, operator, worker, auditor, reader'],
    ['a name', JSON.stringify([{ sha256: ALICE, roles: ['reader'] }]), 'test[0].name'],
    ['task names as strings', JSON.stringify([{ name: 'w', sha256: ALICE, roles: ['worker'], taskTypes: [3] }]), 'test[0].taskTypes'],
    ['no plain token field', JSON.stringify([{ name: 'a', sha256: ALICE, roles: ['reader'], token: 'alice-secret' }]), 'test[0]: unknown field(s) token'],
    ['unique names', JSON.stringify([{ name: 'a', sha256: ALICE, roles: ['reader'] }, { name: 'a', sha256: WORKER, roles: ['reader'] }]), 'test[1].name: the same name is configured twice'],
    ['unique hashes', JSON.stringify([{ name: 'a', sha256: ALICE, roles: ['reader'] }, { name: 'b', sha256: ALICE, roles: ['reader'] }]), 'test[1].sha256: the same sha256'],
  ])('requires %s, naming the entry and field', (_rule, text, message) => {
    expect(() => parseApiTokens(text, 'test')).toThrow(message);
  });

  it('never echoes a plain token pasted in place of its hash', () => {
    expect(() => parseApiTokens(JSON.stringify([{ name: 'a', sha256: 'my-plain-secret', roles: ['reader'] }]), 'test')).toThrow(expect.objectContaining({ message: expect.not.stringContaining('my-plain-secret') }));
  });

  it('reads BATON_AUTH_TOKENS_FILE or BATON_AUTH_TOKENS, not both', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'baton-tokens-')), 'tokens.yaml');
    writeFileSync(file, `- { name: alice, sha256: ${ALICE}, roles: [admin] }\n`);
    expect(loadApiTokens({ BATON_AUTH_TOKENS_FILE: file })).toEqual([{ name: 'alice', sha256: ALICE, roles: ['admin'] }]);
    expect(loadApiTokens({ BATON_AUTH_TOKENS: JSON.stringify([{ name: 'bob', sha256: WORKER, roles: ['reader'] }]) })).toEqual([{ name: 'bob', sha256: WORKER, roles: ['reader'] }]);
    expect(loadApiTokens({})).toEqual([]);
    expect(() => loadApiTokens({ BATON_AUTH_TOKENS_FILE: file, BATON_AUTH_TOKENS: '[]' })).toThrow('not both');
    expect(() => loadApiTokens({ BATON_AUTH_TOKENS_FILE: `${file}.missing` })).toThrow(`BATON_AUTH_TOKENS_FILE: cannot read ${file}.missing (ENOENT)`);
  });

  it('finds the principal of a token by its hash, with implied roles and its task names', () => {
    const registry = new TokenRegistry([
      { name: 'alice', sha256: ALICE, roles: ['operator'] },
      { name: 'payments', sha256: WORKER, roles: ['worker'], taskTypes: ['charge_payment'] },
    ]);
    expect(registry.principalOf('alice-secret')).toEqual({ kind: 'token', name: 'alice', roles: new Set(['operator', 'reader']) });
    expect(registry.principalOf('worker-secret')).toEqual({ kind: 'token', name: 'payments', roles: new Set(['worker']), taskTypes: new Set(['charge_payment']) });
    expect(registry.principalOf('alice-secret ')).toBeUndefined();
    expect(registry.principalOf(ALICE)).toBeUndefined();
  });
});
