import releaseSync from '@jitl/quickjs-wasmfile-release-sync';
import { newQuickJSWASMModuleFromVariant, type QuickJSContext, type QuickJSHandle, type QuickJSSyncVariant, type QuickJSWASMModule } from 'quickjs-emscripten-core';
import { RESULT_TO_JSON, SCRIPT_PRELUDE } from './script-prelude';

/** Bounds of one script evaluation. */
export interface ScriptLimits {
  /** Wall-clock time a script may run before it is interrupted. */
  readonly timeoutMs: number;
  /** Heap the script's runtime may allocate (QuickJS counts every object, string and the parsed input). */
  readonly memoryBytes: number;
  /** Native stack the script may use (deep recursion ends with `stack overflow`, not a crash). */
  readonly stackBytes: number;
}

/** Conductor's INLINE timeout (`CONDUCTOR_SCRIPT_MAX_EXECUTION_SECONDS`, 4 s); 32 MiB of heap; 512 KiB of stack. */
export const DEFAULT_SCRIPT_LIMITS: ScriptLimits = { timeoutMs: 4_000, memoryBytes: 32 * 1024 * 1024, stackBytes: 512 * 1024 };

/**
 * How a source is run: `script` (INLINE: the value of its last statement is the result; a
 * top-level `return` is accepted too, by running it as a function body) or `function-body`
 * (LAMBDA: Conductor wraps the script in a function, so it must `return`).
 */
export type ScriptMode = 'script' | 'function-body';

/** Why a script produced no result. */
export type ScriptFailureKind = 'error' | 'timeout' | 'memory';

/** The outcome of one evaluation: its result as plain JSON data, or why there is none. */
export type ScriptOutcome = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly kind: ScriptFailureKind; readonly message: string };

/**
 * A sandboxed JavaScript engine for INLINE and LAMBDA tasks: QuickJS compiled to WebAssembly
 * (shipped inside its npm package). Each evaluation gets a fresh runtime with its own memory
 * limit, stack limit and an interrupt deadline, and only ECMAScript built-ins: no `require`,
 * `process`, file system, network, timers or host objects. `Math.random`, `Date`, `JSON` and
 * regular expressions work as in any JavaScript engine; that is why the scripts run in the
 * orchestrator's effect path and their results are recorded, never re-run on replay.
 *
 * @example
 * const engine = await ScriptEngine.load();
 * await engine.evaluate('$.items.size() + 1', { items: [1, 2] }); // { ok: true, result: 3 }
 */
export class ScriptEngine {
  private module: QuickJSWASMModule;
  /** A fresh module being loaded after the previous one aborted. */
  private reloading: Promise<QuickJSWASMModule> | undefined;

  private constructor(
    module: QuickJSWASMModule,
    private readonly limits: ScriptLimits,
  ) {
    this.module = module;
  }

  /** Loads the WebAssembly module (once; each evaluation then only creates a runtime). */
  static async load(limits: ScriptLimits = DEFAULT_SCRIPT_LIMITS): Promise<ScriptEngine> {
    const engine = new ScriptEngine(await loadModule(), limits);
    // The first evaluation pays for compiling the WebAssembly code: not a task's script, whose time limit it would eat.
    engine.evaluateSync('JSON.stringify([1].map((x) => x))', {});
    return engine;
  }

  /** Runs `source` with `$` bound to a copy of `input`; never throws for anything the script does. */
  async evaluate(source: string, input: Readonly<Record<string, unknown>>, mode: ScriptMode = 'script'): Promise<ScriptOutcome> {
    await this.ready();
    return this.evaluateSync(source, input, mode);
  }

  /** Resolves once the engine can evaluate (at once, unless a fresh instance is loading after an abort). */
  async ready(): Promise<void> {
    if (!this.reloading) return;
    this.module = await this.reloading;
    this.reloading = undefined;
  }

  /**
   * {@link evaluate}, synchronously (the flow-test engine runs a whole workflow in one call). Right
   * after an abort of the WebAssembly instance, until the fresh one is loaded, it fails the script.
   */
  evaluateSync(source: string, input: Readonly<Record<string, unknown>>, mode: ScriptMode = 'script'): ScriptOutcome {
    if (this.reloading) return { ok: false, kind: 'error', message: 'the script engine is restarting after an abort' };
    const module = this.module;
    try {
      const outcome = this.run(module, source, input, mode);
      if (mode === 'script' && !outcome.ok && outcome.kind === 'error' && /return not in a function/.test(outcome.message)) {
        return this.run(module, source, input, 'function-body');
      }
      return outcome;
    } catch (error) {
      // The WebAssembly instance aborted (a QuickJS assertion): it is unusable, load a fresh one.
      this.reloading = loadModule();
      return { ok: false, kind: 'error', message: `the script engine aborted: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  private run(module: QuickJSWASMModule, source: string, input: Readonly<Record<string, unknown>>, mode: ScriptMode): ScriptOutcome {
    const runtime = module.newRuntime();
    runtime.setMemoryLimit(this.limits.memoryBytes);
    runtime.setMaxStackSize(this.limits.stackBytes);
    const deadline = Date.now() + this.limits.timeoutMs;
    let timedOut = false;
    runtime.setInterruptHandler(() => (timedOut ||= Date.now() > deadline));
    const context = runtime.newContext();
    try {
      const bound = bindInput(context, input);
      if (!bound.ok) return bound;
      const code = mode === 'function-body' ? `(function () {\n${source}\n})()` : source;
      const evaluated = context.evalCode(code, 'script.js');
      if (evaluated.error) return failure(context, evaluated.error, timedOut);
      return resultOf(context, evaluated.value, timedOut);
    } finally {
      context.dispose();
      runtime.dispose();
    }
  }
}

/**
 * The release build of QuickJS, its Emscripten loader taken through `require` (the package's
 * own variant loads it with a dynamic `import()`, which Jest's CommonJS sandbox refuses).
 */
const variant: QuickJSSyncVariant = {
  ...releaseSync,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  importModuleLoader: () => Promise.resolve(require('@jitl/quickjs-wasmfile-release-sync/emscripten-module') as Awaited<ReturnType<QuickJSSyncVariant['importModuleLoader']>>),
};

function loadModule(): Promise<QuickJSWASMModule> {
  return newQuickJSWASMModuleFromVariant(variant);
}

function bindInput(context: QuickJSContext, input: Readonly<Record<string, unknown>>): ScriptOutcome {
  const prelude = context.evalCode(SCRIPT_PRELUDE, 'prelude.js');
  if (prelude.error) return failure(context, prelude.error, false);
  const json = context.newString(JSON.stringify(input ?? {}));
  const bound = context.callFunction(prelude.value, context.undefined, json);
  json.dispose();
  prelude.value.dispose();
  if (bound.error) return failure(context, bound.error, false);
  bound.value.dispose();
  return { ok: true, result: undefined };
}

function resultOf(context: QuickJSContext, value: QuickJSHandle, timedOut: boolean): ScriptOutcome {
  const toJson = context.evalCode(RESULT_TO_JSON, 'result.js');
  if (toJson.error) {
    value.dispose();
    return failure(context, toJson.error, timedOut);
  }
  const text = context.callFunction(toJson.value, context.undefined, value);
  toJson.value.dispose();
  value.dispose();
  if (text.error) return failure(context, text.error, timedOut);
  const json = context.getString(text.value);
  text.value.dispose();
  return { ok: true, result: JSON.parse(json) as unknown };
}

/** Reads an error's name and message member by member: dumping a half-built error (stack overflow, out of memory) can itself fail. */
function failure(context: QuickJSContext, error: QuickJSHandle, timedOut: boolean): ScriptOutcome {
  const name = stringProp(context, error, 'name');
  const message = stringProp(context, error, 'message') ?? (context.typeof(error) === 'string' ? context.getString(error) : 'the script threw a value that is not an Error');
  const line = stringProp(context, error, 'lineNumber') ?? /script\.js:(\d+)/.exec(stringProp(context, error, 'stack') ?? '')?.[1];
  error.dispose();
  if (timedOut || (name === 'InternalError' && message === 'interrupted')) return { ok: false, kind: 'timeout', message: 'script not evaluated within the time limit, interrupted' };
  if (/out of memory/i.test(message)) return { ok: false, kind: 'memory', message: 'script exceeded its memory limit' };
  return { ok: false, kind: 'error', message: `${name ? `${name}: ` : ''}${message}${line ? ` at line ${line}` : ''}` };
}

function stringProp(context: QuickJSContext, handle: QuickJSHandle, key: string): string | undefined {
  if (context.typeof(handle) !== 'object') return undefined;
  const prop = context.getProp(handle, key);
  try {
    const type = context.typeof(prop);
    if (type === 'string') return context.getString(prop);
    if (type === 'number') return String(context.getNumber(prop));
    return undefined;
  } finally {
    prop.dispose();
  }
}
