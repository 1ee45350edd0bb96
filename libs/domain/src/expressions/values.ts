import type { FunctionNode } from './ast';

/** What native functions may ask of the running interpreter. */
export interface Runtime {
  /** Calls a script or native function; throws a TypeError-like fault for anything else. */
  call(fn: unknown, args: readonly unknown[]): unknown;
  /** Spends `steps` of the step budget (natives charge for the work they do). */
  charge(steps: number): void;
  /** Returns `s` if it is within the string length limit, else throws a limit fault. */
  checkString(s: string): string;
  /** Throws a limit fault if a string of `length` characters would exceed the limit. */
  checkStringLength(length: number): void;
  /** Throws a limit fault if an array of `length` elements would exceed the limit. */
  checkArrayLength(length: number): void;
}

/** Variables of one function, block or loop iteration. */
export class Scope {
  readonly vars = new Map<string, unknown>();
  consts: Set<string> | undefined;

  constructor(readonly parent: Scope | undefined) {}

  declare(name: string, value: unknown, constant = false): void {
    this.vars.set(name, value);
    if (constant) (this.consts ??= new Set()).add(name);
    else this.consts?.delete(name);
  }

  /** The innermost scope that declares `name`. */
  find(name: string): Scope | undefined {
    if (this.vars.has(name)) return this;
    let scope = this.parent;
    while (scope !== undefined && !scope.vars.has(name)) scope = scope.parent;
    return scope;
  }
}

/** A function written in the script, closed over the scope it was created in. */
export class ScriptFunction {
  constructor(
    readonly node: FunctionNode,
    readonly closure: Scope,
  ) {}
}

export type NativeImpl = (rt: Runtime, args: readonly unknown[]) => unknown;

/**
 * A whitelisted host function. `statics` are its readable properties (e.g. `Number.isInteger`);
 * nothing else about the host function object is reachable from the script.
 */
export class NativeFunction {
  constructor(
    readonly name: string,
    readonly impl: NativeImpl,
    readonly statics?: Readonly<Record<string, unknown>>,
  ) {}
}

export type ScriptObject = Record<string, unknown>;

export function isCallable(value: unknown): value is ScriptFunction | NativeFunction {
  return value instanceof ScriptFunction || value instanceof NativeFunction;
}

/** A plain script object (null prototype), as opposed to arrays, functions and primitives. */
export function isScriptObject(value: unknown): value is ScriptObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isCallable(value);
}

/** Objects the script sees have no prototype, so no inherited member can ever be reached. */
export function newObject(): ScriptObject {
  return Object.create(null) as ScriptObject;
}

export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** A null-prototype, frozen namespace such as `Math`. */
export function namespace(entries: Record<string, unknown>): Readonly<ScriptObject> {
  const ns = newObject();
  for (const key of Object.keys(entries)) ns[key] = entries[key];
  return Object.freeze(ns);
}

export function native(name: string, impl: NativeImpl, statics?: Record<string, unknown>): NativeFunction {
  return new NativeFunction(name, impl, statics === undefined ? undefined : namespace(statics));
}
