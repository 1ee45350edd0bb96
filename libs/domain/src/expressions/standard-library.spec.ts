import { evaluateExpression } from './index';

function run(source: string, $: unknown = {}): unknown {
  return evaluateExpression(source, { $ });
}

describe('standard library: Math, JSON and globals', () => {
  it.each([
    ['Math.max(1, 7, 3) + Math.min(4, 2) + Math.abs(-3)', 12],
    ['[Math.floor(1.7), Math.ceil(1.2), Math.round(2.5), Math.trunc(-1.5), Math.sign(-3)]', [1, 2, 3, -1, -1]],
    ['[Math.pow(2, 10), Math.sqrt(81), Math.cbrt(27), Math.hypot(3, 4), Math.log10(1000), Math.log2(8)]', [1024, 9, 3, 5, 3, 3]],
    ['Math.PI > 3.14 && Math.E > 2.71', true],
    ['typeof Math.random', 'undefined'],
    ['JSON.stringify({ a: [1, "x", null, true], b: { c: undefined }, f: () => 1 })', '{"a":[1,"x",null,true],"b":{}}'],
    ['JSON.stringify([undefined, x => x])', '[null,null]'],
    ['JSON.stringify({ a: 1, b: 2 }, ["b"])', '{"b":2}'],
    ['JSON.stringify({ a: 1 }, null, 2)', '{\n  "a": 1\n}'],
    ['JSON.parse(\'{"a":[1,{"b":"c"}]}\').a[1].b', 'c'],
    ['JSON.parse("3")', 3],
    ['[Number("12.5"), Number(""), Number(true), Number(null), Number("x")]', [12.5, 0, 1, 0, null]],
    ['[String(12), String(null), String([1, 2]), String({}), String(undefined)]', ['12', 'null', '1,2', '[object Object]', 'undefined']],
    ['[Boolean(""), Boolean("0"), Boolean(0), Boolean({})]', [false, true, false, true]],
    ['[parseInt("42px"), parseInt("ff", 16), parseFloat("3.5e2x"), isNaN("abc"), isNaN("12"), isFinite("1")]', [42, 255, 350, true, false, true]],
    ['[Number.isInteger(5), Number.isInteger(5.5), Number.isNaN("x"), Number.MAX_SAFE_INTEGER > 1e15, Number.parseFloat("1.5")]', [true, false, false, true, 1.5]],
    ['[Array.isArray([]), Array.isArray("a"), Array.of(1, 2), Array.from("ab"), Array.from([1, 2], x => x * 2)]', [true, false, [1, 2], ['a', 'b'], [2, 4]]],
    ['[Object.keys({ a: 1, b: 2 }), Object.values({ a: 1, b: 2 }), Object.entries({ a: 1 })]', [['a', 'b'], [1, 2], [['a', 1]]]],
    ['Object.assign({ a: 1 }, { b: 2 }, null, { a: 3 })', { a: 3, b: 2 }],
    ['Object.fromEntries([["a", 1], ["b", 2]])', { a: 1, b: 2 }],
    ['String.fromCharCode(72, 105)', 'Hi'],
    ['encodeURIComponent("a b&c") + "|" + decodeURIComponent("a%20b")', 'a%20b%26c|a b'],
    ['({ a: 1 }).hasOwnProperty("a") && !({ a: 1 }).hasOwnProperty("toString")', true],
  ])('given %s, when evaluated, then it yields %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });
});

describe('standard library: string methods', () => {
  it.each([
    ['" Ada ".trim().toUpperCase() + "X".toLowerCase()', 'ADAx'],
    ['"  a ".trimStart() + "|" + "  a ".trimEnd()', 'a |  a'],
    ['["abc".includes("b"), "abc".startsWith("ab"), "abc".endsWith("bc"), "abc".indexOf("c"), "abca".lastIndexOf("a")]', [true, true, true, 2, 3]],
    ['["abcdef".slice(1, 3), "abcdef".slice(-2), "abcdef".substring(4, 1), "abcdef".substr(2, 2)]', ['bc', 'ef', 'bcd', 'cd']],
    ['"a,b,,c".split(",")', ['a', 'b', '', 'c']],
    ['["abc".split(""), "abc".split(), "a-b-c".split("-", 2)]', [['a', 'b', 'c'], ['abc'], ['a', 'b']]],
    ['"a-b-a".replace("a", "x") + "|" + "a-b-a".replaceAll("a", "x")', 'x-b-a|x-b-x'],
    ['"price: 5".replace("5", "$$&$&")', 'price: $&5'],
    ['"a-b".replace("-", (m, i) => "[" + m + i + "]")', 'a[-1]b'],
    ['"abc".replaceAll("", "-")', '-a-b-c-'],
    ['"5".padStart(3, "0") + "|" + "5".padEnd(3, "*") + "|" + "ab".repeat(3)', '005|5**|ababab'],
    ['"abc".charAt(1) + "abc".at(-1) + "a".concat("b", 1) + "A".charCodeAt(0)', 'bcab165'],
    ['"b".localeCompare("a")', 1],
  ])('given %s, when evaluated, then it yields %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });
});

describe('standard library: array methods', () => {
  const $ = { items: [{ sku: 'a', qty: 2 }, { sku: 'b', qty: 0 }, { sku: 'c', qty: 5 }] };
  it.each([
    ['$.items.map((i, idx) => i.sku + idx)', ['a0', 'b1', 'c2']],
    ['$.items.filter(i => i.qty).length', 2],
    ['[$.items.some(i => i.qty > 4), $.items.every(i => i.qty > 0)]', [true, false]],
    ['[$.items.find(i => i.qty === 0).sku, $.items.findIndex(i => i.sku === "c"), $.items.find(i => i.qty > 99)]', ['b', 2, null]],
    ['[$.items.findLast(i => i.qty > 0).sku, $.items.findLastIndex(i => i.qty > 0)]', ['c', 2]],
    ['$.items.reduce((sum, i) => sum + i.qty, 0)', 7],
    ['[1, 2, 3].reduce((a, b) => a * b)', 6],
    ['["a", "b"].reduceRight((acc, x) => acc + x, "")', 'ba'],
    ['[[1, 2].includes(2), [1, 2].indexOf(3), [1, 2, 1].lastIndexOf(1), [NaN].includes(NaN)]', [true, -1, 2, true]],
    ['[[1, 2, 3].join("-"), [1, null, [2, 3]].join()]', ['1-2-3', '1,,2,3']],
    ['[[1, 2, 3, 4].slice(1, 3), [1, 2, 3].slice(-1), [1, 2].concat([3], 4, [[5]])]', [[2, 3], [3], [1, 2, 3, 4, [5]]]],
    ['const a = [1, 2]; const n = a.push(3); const p = a.pop(); const s = a.shift(); a.unshift(0); [n, p, s, a]', [3, 3, 1, [0, 2]]],
    ['const a = [1, 2, 3, 4]; const removed = a.splice(1, 2, "x"); [removed, a]', [[2, 3], [1, 'x', 4]]],
    ['[10, 9, 1, 2].sort()', [1, 10, 2, 9]],
    ['[10, 9, 1, 2].sort((a, b) => a - b)', [1, 2, 9, 10]],
    ['$.items.slice().sort((x, y) => y.qty - x.qty).map(i => i.sku)', ['c', 'a', 'b']],
    ['[1, 2, 3].reverse()', [3, 2, 1]],
    ['[[1, [2, [3]]].flat(), [1, [2, [3]]].flat(2), [1, 2].flatMap(x => [x, x * 10])]', [[1, 2, [3]], [1, 2, 3], [1, 10, 2, 20]]],
    ['let t = 0; [1, 2].forEach(x => { t += x }); t', 3],
    ['[1, 2, 3].at(-1)', 3],
    ['(12.345).toFixed(2) + "|" + (255).toString(16) + "|" + (5).toString()', '12.35|ff|5'],
  ])('given %s, when evaluated, then it yields %j', (source, expected) => {
    expect(run(source, $)).toEqual(expected);
  });

  it('given a callback that is not a function, when an array method is called, then it fails clearly', () => {
    expect(() => run('[1].map(5)')).toThrow('TypeError: 5 is not a function (argument of map)');
  });

  it('given reduce of an empty array without a seed, when evaluated, then it fails as in JavaScript', () => {
    expect(() => run('[].reduce((a, b) => a + b)')).toThrow('Reduce of empty array with no initial value');
  });
});
