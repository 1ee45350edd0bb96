/**
 * Runs inside the QuickJS sandbox before a script: binds `$` to a fresh copy of the task input
 * (parsed from JSON, so nothing of the host is reachable) and gives that input's lists and maps
 * the Java-style methods Conductor's GraalJS evaluator exposes on its Java collections
 * (`$.list.get(0)`, `$.list.size()`, `$.map.get('k')`, `$.map.containsKey('k')`). The methods are
 * non-enumerable: `JSON.stringify`, `Object.keys` and `for…in` do not see them. Host-only
 * globals a script might probe for (`console`) are absent, as in Conductor's INLINE.
 */
export const SCRIPT_PRELUDE = `
(function (json) {
  var define = function (target, name, fn) { Object.defineProperty(target, name, { value: fn, enumerable: false, configurable: true, writable: true }); };
  var decorate = function (value) {
    if (Array.isArray(value)) {
      for (var i = 0; i < value.length; i++) decorate(value[i]);
      define(value, 'get', function (index) { return this[index]; });
      define(value, 'size', function () { return this.length; });
      define(value, 'isEmpty', function () { return this.length === 0; });
      define(value, 'contains', function (item) { return this.indexOf(item) !== -1; });
    } else if (value !== null && typeof value === 'object') {
      for (var key in value) decorate(value[key]);
      if (!Object.prototype.hasOwnProperty.call(value, 'get')) define(value, 'get', function (key) { return Object.prototype.hasOwnProperty.call(this, key) ? this[key] : null; });
      if (!Object.prototype.hasOwnProperty.call(value, 'size')) define(value, 'size', function () { return Object.keys(this).length; });
      if (!Object.prototype.hasOwnProperty.call(value, 'isEmpty')) define(value, 'isEmpty', function () { return Object.keys(this).length === 0; });
      if (!Object.prototype.hasOwnProperty.call(value, 'containsKey')) define(value, 'containsKey', function (key) { return Object.prototype.hasOwnProperty.call(this, key); });
      if (!Object.prototype.hasOwnProperty.call(value, 'keySet')) define(value, 'keySet', function () { return Object.keys(this); });
    }
    return value;
  };
  globalThis.$ = decorate(JSON.parse(json));
})
`;

/** The function, defined once per context, that turns a script's result into JSON text (undefined → `null`). */
export const RESULT_TO_JSON = `
(function (value) {
  var text = JSON.stringify(value === undefined ? null : value);
  return text === undefined ? 'null' : text;
})
`;
