import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** A process a test started, with its output in a log file for post-mortems. */
export class ChildHandle {
  readonly exited: Promise<number | null>;
  private lines: string[] = [];
  private waiters: { pattern: RegExp; resolve: () => void }[] = [];
  /** The last non-empty line the process wrote to stderr (its start-up failure, say). */
  lastErrorLine: string | undefined;

  constructor(
    readonly name: string,
    readonly process: ChildProcess,
    readonly logFile: string,
  ) {
    const log = createWriteStream(logFile, { flags: 'a' });
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      for (const line of chunk.toString('utf8').split('\n')) {
        if (this.lines.length < 5_000) this.lines.push(line);
        this.waiters = this.waiters.filter((waiter) => {
          if (!waiter.pattern.test(line)) return true;
          waiter.resolve();
          return false;
        });
      }
    };
    process.stdout?.on('data', onData);
    process.stderr?.on('data', onData);
    process.stderr?.on('data', (chunk: Buffer) => {
      const lines = chunk.toString('utf8').split('\n').filter((line) => line.trim() !== '');
      if (lines.length > 0) this.lastErrorLine = lines.at(-1);
    });
    this.exited = new Promise((resolve) => process.once('exit', (code) => {
      log.end();
      resolve(code);
    }));
  }

  /** Resolves when a line of output matches (or already did). */
  waitForLine(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
    if (this.lines.some((line) => pattern.test(line))) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no line matching ${pattern} within ${timeoutMs} ms (log: ${this.logFile})`)), timeoutMs);
      this.waiters.push({ pattern, resolve: () => { clearTimeout(timer); resolve(); } });
    });
  }

  /** Resolves once the process has exited and its stderr is read to the end. */
  async finished(): Promise<number | null> {
    const code = await this.exited;
    const stderr = this.process.stderr;
    if (stderr && !stderr.closed) await new Promise((resolve) => stderr.once('close', resolve));
    return code;
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** SIGKILL: the process gets no chance to clean up (a crash). */
  async kill9(): Promise<void> {
    if (!this.running) return;
    this.process.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** The repository root (this file runs from test/support or, compiled, from dist/test/support). */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'dist') {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/** Runs a compiled entry point of the repo (`dist/...`) as a separate Node process. */
export function startNode(name: string, entry: string, options: { env?: Record<string, string>; logDir: string; args?: string[]; nodeArgs?: string[] }): ChildHandle {
  mkdirSync(options.logDir, { recursive: true });
  const script = path.join(repoRoot(), 'dist', entry);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--require', path.join(repoRoot(), 'dist/test/support/exit-with-parent.js'), script, ...(options.args ?? [])], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new ChildHandle(name, child, path.join(options.logDir, `${name}.log`));
}
