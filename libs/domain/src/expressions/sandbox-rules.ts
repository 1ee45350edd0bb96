/**
 * Names the sandbox refuses outright. The interpreter never consults host prototypes, so these
 * could not reach the host anyway; rejecting them early turns an escape attempt into a clear
 * error at definition registration instead of a confusing `undefined` at run time.
 */

/** Property names that lead to prototypes, constructors or accessor definitions in real JS. */
const FORBIDDEN_PROPERTIES: ReadonlySet<string> = new Set([
  'constructor',
  'prototype',
  '__proto__',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'caller',
  'callee',
]);

/** Global names of host capabilities, and Nashorn/GraalJS Java interop entry points. */
const FORBIDDEN_IDENTIFIERS: ReadonlySet<string> = new Set([
  'eval',
  'Function',
  'globalThis',
  'process',
  'require',
  'module',
  'exports',
  'import',
  'Reflect',
  'Proxy',
  'Symbol',
  'WebAssembly',
  'Buffer',
  'Java',
  'Packages',
  'java',
  'javax',
  'Polyglot',
  'loadWithNewGlobal',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'queueMicrotask',
]);

/** Reserved words the subset does not implement, with the reason reported to the author. */
const UNSUPPORTED_KEYWORDS: Readonly<Record<string, string>> = {
  this: "'this' is not available in expressions",
  new: "'new' is not allowed in expressions",
  class: 'classes are not supported',
  import: "'import' is not allowed in expressions",
  export: "'export' is not allowed in expressions",
  instanceof: "'instanceof' is not supported",
  with: "'with' is not supported",
  yield: 'generators are not supported',
  async: 'async functions are not supported',
  await: "'await' is not supported",
  super: "'super' is not available in expressions",
  debugger: "'debugger' is not supported",
};

export function isForbiddenProperty(name: string): boolean {
  return FORBIDDEN_PROPERTIES.has(name);
}

export function isForbiddenIdentifier(name: string): boolean {
  return FORBIDDEN_IDENTIFIERS.has(name);
}

/** The reason a reserved word cannot be used, or undefined when the subset supports it. */
export function unsupportedKeywordReason(name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(UNSUPPORTED_KEYWORDS, name) ? UNSUPPORTED_KEYWORDS[name] : undefined;
}

/** Keywords that may not be used as variable names. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'var', 'let', 'const', 'function', 'return', 'if', 'else', 'for', 'while', 'do', 'break', 'continue',
  'throw', 'try', 'catch', 'finally', 'switch', 'case', 'default', 'typeof', 'void', 'delete', 'in',
  'true', 'false', 'null', ...Object.keys(UNSUPPORTED_KEYWORDS),
]);
