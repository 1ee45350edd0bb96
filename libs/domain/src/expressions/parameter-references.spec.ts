import { parseReferences, validateParameterTemplate } from './index';

describe('parseReferences', () => {
  it('given a template with workflow and task references, when parsed, then each is listed with its location, root and field', () => {
    const refs = parseReferences({
      orderId: '${workflow.input.orderId}',
      lines: ['${fetch.output.items[0].sku}', { note: 'paid by ${charge.output.receipt.id} at ${workflow.variables.when}' }],
      'odd-key': '${ship.status}',
      literal: 42,
    });
    expect(refs.map(({ location, root, field, kind, path }) => ({ location, root, field, kind, path }))).toEqual([
      { location: 'orderId', root: 'workflow', field: 'input', kind: 'workflow', path: 'workflow.input.orderId' },
      { location: 'lines[0]', root: 'fetch', field: 'output', kind: 'task', path: 'fetch.output.items[0].sku' },
      { location: 'lines[1].note', root: 'charge', field: 'output', kind: 'task', path: 'charge.output.receipt.id' },
      { location: 'lines[1].note', root: 'workflow', field: 'variables', kind: 'workflow', path: 'workflow.variables.when' },
      { location: 'odd-key', root: 'ship', field: 'status', kind: 'task', path: 'ship.status' },
    ]);
  });

  it('given a bare string template, when parsed, then the location is empty', () => {
    expect(parseReferences('${a.output}')).toEqual([{ location: '', expression: '${a.output}', path: 'a.output', root: 'a', field: 'output', kind: 'task' }]);
  });

  it('given quoted keys and a leading $, when parsed, then the root is still found', () => {
    expect(parseReferences(["${['my-task'].output}", '${$.workflow.input}']).map((r) => r.root)).toEqual(['my-task', 'workflow']);
  });

  it('given nested references, when parsed, then both the outer (root from its static prefix) and the inner are listed', () => {
    const refs = parseReferences('${lookup.output.${workflow.input.key}}');
    expect(refs.map((r) => [r.root, r.kind])).toEqual([
      ['lookup', 'task'],
      ['workflow', 'workflow'],
    ]);
  });

  it('given a path that starts with a nested reference, when parsed, then its root is unknown and it is marked dynamic', () => {
    const [outer] = parseReferences('${${workflow.input.ref}.output}');
    expect(outer).toMatchObject({ root: '', kind: 'dynamic' });
  });

  it('given system parameters, escapes and empty references, when parsed, then only real references are listed', () => {
    const refs = parseReferences({ a: '${CPEWF_TASK_ID}', b: '$${not.a.ref}', c: '${}' });
    expect(refs).toEqual([{ location: 'a', expression: '${CPEWF_TASK_ID}', path: 'CPEWF_TASK_ID', root: 'CPEWF_TASK_ID', field: undefined, kind: 'system' }]);
  });
});

describe('validateParameterTemplate', () => {
  it('given a valid template, when validated, then there are no problems', () => {
    expect(validateParameterTemplate({ a: '${workflow.input.a}', b: ['x ${t.output.y[0]} $${z}'], c: 1 })).toEqual([]);
  });

  it('given broken references, when validated, then each problem names its location', () => {
    expect(
      validateParameterTemplate({
        a: '${workflow.input.x',
        b: { c: ['${}'] },
        d: '${items[?(@.price > 10)]}',
        e: '${a..}',
        f: '${a.keys()}',
        g: '${a[1}',
      }),
    ).toEqual([
      "a: unterminated '${' in '${workflow.input.x'",
      "b.c[0]: empty reference '${}'",
      "d: malformed path 'items[?(@.price > 10)]': filter and script expressions are not supported",
      "e: malformed path 'a..': expected a property name at offset 3",
      "f: malformed path 'a.keys()': function 'keys()' is not supported",
      "g: malformed path 'a[1': missing ']'",
    ]);
  });

  it('given a bare string, when validated, then problems have no location prefix', () => {
    expect(validateParameterTemplate('${a')).toEqual(["unterminated '${' in '${a'"]);
  });
});
