import { evaluateExpression, resolveParameters, parseReferences, validateParameterTemplate, evaluateSwitchCase } from './index';

it('smoke', () => {
  const cases: [string, unknown][] = [
    ["$.verdict == 'reject' ? 'reject' : 'accept'", null],
    ['(function(){ var x = $.a; if (x > 1) { return "big"; } return "small"; })()', null],
    ['$.items.map(i => i.qty * 2).filter(q => q > 2).reduce((a, b) => a + b, 0)', null],
    ['function e() { if ($.a == 2){return {"result": true}} else { return {"result": false}}} e();', null],
    ['`a${$.a}b`', null],
    ['let s = 0; for (let i = 0; i < 10; i++) { if (i % 2) continue; s += i; } s', null],
    ['const o = {}; o.x = [1,2]; o.x.push(3); o', null],
    ['JSON.stringify({a: [1, {b: null}]})', null],
    ['Object.entries({a: 1, b: 2}).map(([k, v]) => k + v)', null],
  ];
  for (const [src] of cases) {
    try {
      console.log(src, '=>', JSON.stringify(evaluateExpression(src, { $: { verdict: 'reject', a: 2, items: [{ qty: 1 }, { qty: 2 }, { qty: 3 }] } })));
    } catch (e) {
      console.log(src, '=> ERR', (e as Error).message);
    }
  }
  console.log(JSON.stringify(resolveParameters({ a: '${workflow.input.x}', b: 'x=${workflow.input.x} y=${t1.output.y}', c: ['$${x}', '${t1.output}'], d: '${workflow.input.arr[${workflow.input.i}]}' },
    { workflow: { workflowId: 'w', workflowType: 'wf', version: 1, input: { x: 5, arr: [10, 20], i: 1 }, variables: {} }, tasks: { t1: { output: { y: { z: 1 } } } } })));
  console.log(JSON.stringify(parseReferences({ a: '${workflow.input.x}', b: ['${t1.output.y} ${t2.input}'], c: '${m.${k}}' })));
  console.log(validateParameterTemplate({ a: '${workflow.input.x', b: '${}', c: '${a[?(@.x)]}' }));
  console.log(evaluateSwitchCase('value-param', 'k', { k: 1 }), evaluateSwitchCase('javascript', '$.k > 0', { k: 1 }));
});
