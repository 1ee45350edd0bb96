import type { BinaryOperator } from './ast';
import { add, hasProperty, lessThan, looseEquals, toNumber } from './coercion';

/**
 * The binary operators of JavaScript over sandbox values. `==` is the ECMAScript loose equality
 * (so `1 == '1'` and `null == undefined` hold); relational operators compare strings by code
 * unit and everything else as numbers, with NaN comparing false.
 */
export function applyBinary(operator: BinaryOperator, l: unknown, r: unknown): unknown {
  switch (operator) {
    case '+': return add(l, r);
    case '-': return toNumber(l) - toNumber(r);
    case '*': return toNumber(l) * toNumber(r);
    case '/': return toNumber(l) / toNumber(r);
    case '%': return toNumber(l) % toNumber(r);
    case '**': return toNumber(l) ** toNumber(r);
    case '==': return looseEquals(l, r);
    case '!=': return !looseEquals(l, r);
    case '===': return l === r;
    case '!==': return l !== r;
    case '<': return lessThan(l, r) === true;
    case '>': return lessThan(r, l) === true;
    case '<=': return lessThan(r, l) === false;
    case '>=': return lessThan(l, r) === false;
    case '&': return toNumber(l) & toNumber(r);
    case '|': return toNumber(l) | toNumber(r);
    case '^': return toNumber(l) ^ toNumber(r);
    case '<<': return toNumber(l) << toNumber(r);
    case '>>': return toNumber(l) >> toNumber(r);
    case '>>>': return toNumber(l) >>> toNumber(r);
    case 'in': return hasProperty(r, l);
  }
}
