import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './child-process';

/** What a `baton` run printed and how it exited. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON (the result of a `--json` run). */
  json<T = Record<string, unknown>>(): T;
}

/** The real CLI as a user runs it: node on the package's bin shim, which runs the built `dist/`. */
export const BATON_BIN = (): string => path.join(repoRoot(), 'bin', 'baton.js');

/** Starts `baton <args>` as a child process (see {@link runBaton} to wait for it). */
export function spawnBaton(args: readonly string[], env: Record<string, string> = {}): ChildProcess {
  // The user's BATON_* settings must not leak into a test's CLI run.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !['BATON_URL', 'BATON_TOKEN', 'BATON_EVENT_STORE', 'BATON_READ_MODEL'].includes(key)));
  return spawn(process.execPath, [BATON_BIN(), ...args], { env: { ...inherited, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs `baton <args>` to its end. */
export function runBaton(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  const child = spawnBaton(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({
      code,
      stdout,
      stderr,
      json: <T>() => {
        try {
          return JSON.parse(stdout) as T;
        } catch {
          throw new Error(`baton ${args.join(' ')} printed no JSON (exit ${code}):\n${stdout}\n${stderr}`);
        }
      },
    }));
  });
}

/** A usage error's output: says what is wrong, never a stack trace. */
export function hasNoStackTrace(run: CliRun): boolean {
  return !/\n\s+at .+\(.*:\d+:\d+\)/.test(run.stdout + run.stderr);
}
