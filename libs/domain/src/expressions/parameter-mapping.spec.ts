import { resolveParameters, resolveTemplate, type MappingContext } from './index';

function context(overrides: Partial<MappingContext['workflow']> = {}, tasks: MappingContext['tasks'] = {}): MappingContext {
  return {
    workflow: {
      workflowId: 'wf-1',
      correlationId: 'order-42',
      workflowType: 'fulfil_order',
      version: 3,
      input: { orderId: 42, customer: { name: 'Ada', tags: ['vip', 'eu'] }, items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }], 'x-y': 'dash', empty: null },
      output: { total: 99 },
      variables: { attempts: 2 },
      status: 'RUNNING',
      createTime: 1700000000000,
      ...overrides,
    },
    tasks: {
      charge: { taskId: 't-1', status: 'COMPLETED', retryCount: 1, input: { amount: 10 }, output: { receipt: { id: 'r-9', lines: [1, 2, 3] } } },
      ...tasks,
    },
  };
}

describe('resolveParameters', () => {
  describe('given a string that is exactly one ${path}', () => {
    it.each([
      ['${workflow.input.orderId}', 42],
      ['${workflow.input.customer}', { name: 'Ada', tags: ['vip', 'eu'] }],
      ['${workflow.input.customer.name}', 'Ada'],
      ['${workflow.input.customer.tags[1]}', 'eu'],
      ['${workflow.input.items[1].sku}', 'b'],
      ["${workflow.input['x-y']}", 'dash'],
      ['${workflow.input["x-y"]}', 'dash'],
      ['${workflow.input.x-y}', 'dash'],
      ['${workflow.output.total}', 99],
      ['${workflow.workflowId}', 'wf-1'],
      ['${workflow.correlationId}', 'order-42'],
      ['${workflow.workflowType}', 'fulfil_order'],
      ['${workflow.version}', 3],
      ['${workflow.variables.attempts}', 2],
      ['${workflow.status}', 'RUNNING'],
      ['${workflow.createTime}', 1700000000000],
      ['${workflow.schemaVersion}', 2],
      ['${charge.input.amount}', 10],
      ['${charge.output.receipt.id}', 'r-9'],
      ['${charge.output}', { receipt: { id: 'r-9', lines: [1, 2, 3] } }],
      ['${charge.status}', 'COMPLETED'],
      ['${charge.taskId}', 't-1'],
      ['${charge.retryCount}', 1],
      ['${charge.output.receipt.lines[-1]}', 3],
      ['${charge.output.receipt.lines.length()}', 3],
      ['${ workflow.input.orderId }', 42],
      ['${$.workflow.input.orderId}', 42],
    ])('when %s is resolved, then it yields the value itself (%j)', (template, expected) => {
      expect(resolveParameters({ v: template }, context())).toEqual({ v: expected });
    });
  });

  describe('given a reference to something missing', () => {
    it.each([
      '${workflow.input.nope}',
      '${workflow.input.customer.nope.deeper}',
      '${workflow.input.items[7].sku}',
      '${unknownTask.output.x}',
      '${workflow.input.empty}',
      '${workflow.input.orderId.x}',
    ])('when %s is resolved alone, then it yields null', (template) => {
      expect(resolveParameters({ v: template }, context())).toEqual({ v: null });
    });

    it('when it is interpolated into text, then it reads "null" as in Conductor', () => {
      expect(resolveParameters({ v: 'id=${workflow.input.nope}!' }, context())).toEqual({ v: 'id=null!' });
    });
  });

  describe('given text with embedded references', () => {
    it('when resolved, then each reference is replaced by its text', () => {
      const result = resolveParameters({ v: 'Order ${workflow.input.orderId} for ${workflow.input.customer.name} (${charge.status})' }, context());
      expect(result).toEqual({ v: 'Order 42 for Ada (COMPLETED)' });
    });

    it('when a reference holds an object or array, then it is interpolated as JSON', () => {
      expect(resolveParameters({ v: 'c=${workflow.input.customer} l=${charge.output.receipt.lines}' }, context())).toEqual({
        v: 'c={"name":"Ada","tags":["vip","eu"]} l=[1,2,3]',
      });
    });

    it('when the text has line breaks, then they are kept', () => {
      expect(resolveParameters({ v: 'a ${workflow.version};\r\nb' }, context())).toEqual({ v: 'a 3;\r\nb' });
    });
  });

  describe('given escaped and empty references', () => {
    it.each([
      ['$${workflow.input.orderId}', '${workflow.input.orderId}'],
      ['cost: $${price} and ${workflow.input.orderId}', 'cost: ${price} and 42'],
      ['${workflow.input.orderId}$${workflow.version}', '42${workflow.version}'],
      ['${}', ''],
      ['${   }', ''],
      ['a${}b', 'ab'],
      ['no references', 'no references'],
      ['$ {not} $x {y}', '$ {not} $x {y}'],
    ])('when %j is resolved, then it becomes %j', (template, expected) => {
      expect(resolveParameters({ v: template }, context())).toEqual({ v: expected });
    });

    it('when a `${` is never closed, then the text is kept as written', () => {
      expect(resolveParameters({ v: 'x ${workflow.input.orderId' }, context())).toEqual({ v: 'x ${workflow.input.orderId' });
    });
  });

  describe('given nested references inside a path', () => {
    it('when resolved, then the inner references pick the key and the index (Conductor testNestedPathExpressions)', () => {
      const ctx = context({ input: { index: 1, mapValue: 'a', recordIds: [1, 2, 3], map: { a: [1, 2, 3], b: [2, 4, 5] } } });
      expect(
        resolveParameters(
          {
            k1: '${workflow.input.recordIds[${workflow.input.index}]}',
            k2: '${workflow.input.map.${workflow.input.mapValue}[${workflow.input.index}]}',
            k3: '${workflow.input.map.b[${workflow.input.map.${workflow.input.mapValue}[${workflow.input.index}]}]}',
          },
          ctx,
        ),
      ).toEqual({ k1: 2, k2: 2, k3: 5 });
    });
  });

  describe('given JSONPath wildcards', () => {
    it('when a path has [*], then the matches come back as a list', () => {
      expect(resolveParameters({ v: '${workflow.input.items[*].sku}' }, context())).toEqual({ v: ['a', 'b'] });
    });

    it('when a path deep-scans with .., then every match anywhere below is listed', () => {
      expect(resolveParameters({ v: '${workflow.input..sku}' }, context())).toEqual({ v: ['a', 'b'] });
    });

    it('when a path slices, then the slice is listed', () => {
      expect(resolveParameters({ v: '${charge.output.receipt.lines[0:2]}' }, context())).toEqual({ v: [1, 2] });
    });
  });

  describe('given system parameters', () => {
    it('when ${CPEWF_TASK_ID} is resolved with a current task, then it becomes that task id', () => {
      expect(resolveParameters({ v: '${CPEWF_TASK_ID}', w: 'id-${CPEWF_TASK_ID}' }, { ...context(), currentTaskId: 't-7' })).toEqual({ v: 't-7', w: 'id-t-7' });
    });

    it('when ${CPEWF_TASK_ID} is resolved without one, then the reference is kept as written', () => {
      expect(resolveParameters({ v: '${CPEWF_TASK_ID}' }, context())).toEqual({ v: '${CPEWF_TASK_ID}' });
    });

    it('when a workflow secret is referenced, then it is left for resolution at hand-off', () => {
      expect(resolveParameters({ v: '${workflow.secrets.DB_PASSWORD}', w: 'Bearer ${workflow.secrets.TOKEN}' }, context())).toEqual({
        v: '${workflow.secrets.DB_PASSWORD}',
        w: 'Bearer ${workflow.secrets.TOKEN}',
      });
    });

    it('when a host environment variable name is referenced, then nothing of the host leaks (it is an ordinary, missing path)', () => {
      expect(resolveParameters({ v: '${PATH}', w: '${HOME}' }, context())).toEqual({ v: null, w: null });
    });
  });

  describe('given nested templates', () => {
    it('when resolved, then objects and arrays are walked and non-strings pass through', () => {
      const template = { a: { b: ['${workflow.input.orderId}', 7, true, null, { c: '${charge.taskId}' }] }, n: 1.5 };
      expect(resolveParameters(template, context())).toEqual({ a: { b: [42, 7, true, null, { c: 't-1' }] }, n: 1.5 });
    });

    it('when resolved, then neither the template nor the context is modified and the result shares nothing with them', () => {
      const template = { whole: '${workflow.input.customer}', list: ['${charge.output.receipt}'] };
      const ctx = context();
      const before = JSON.stringify({ template, ctx });
      const result = resolveParameters(template, ctx) as { whole: { tags: string[] }; list: { lines: number[] }[] };
      result.whole.tags.push('mutated');
      result.list[0].lines.push(4);
      expect(JSON.stringify({ template, ctx })).toBe(before);
    });

    it('when a template key is __proto__, then it stays an own key and no prototype changes', () => {
      const template = JSON.parse('{"__proto__": {"polluted": "${workflow.input.orderId}"}}') as unknown;
      const result = resolveParameters(template, context()) as Record<string, unknown>;
      expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
      expect(Object.prototype.hasOwnProperty.call(result, '__proto__')).toBe(true);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('when a path names an inherited member such as constructor, then it does not reach the prototype', () => {
      expect(resolveParameters({ v: '${workflow.input.constructor}', w: '${workflow.input.__proto__}' }, context())).toEqual({ v: null, w: null });
    });
  });
});

describe('resolveTemplate', () => {
  it('given an event payload, when an event-handler template is resolved, then paths read the payload root', () => {
    const payload = { orderId: 'o-1', status: 'READY', lines: [{ sku: 'a' }] };
    expect(resolveTemplate({ orderId: '${orderId}', first: '${lines[0].sku}', all: '${$}', text: 'order ${orderId} is ${status}' }, payload)).toEqual({
      orderId: 'o-1',
      first: 'a',
      all: payload,
      text: 'order o-1 is READY',
    });
  });
});
