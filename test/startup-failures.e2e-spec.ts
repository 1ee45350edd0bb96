import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { waitFor } from '@app/testing/wait-for';
import { freePort, OrchestratorStartError, startOrchestrator, stopAll, tempDir } from './support/stack';

/*
 * Start-up failures of the orchestrator process, each with the real process: one line on stderr
 * naming the variable and its value, exit code 1, nothing said about being ready, no stack trace
 * unless BATON_LOG_LEVEL=debug. And the development log format. Run `npm run build` first.
 */

interface Failure {
  readonly code: number | null;
  readonly stderrLine: string | undefined;
  readonly output: string;
}

async function failedStart(env: Record<string, string>, dataDir = tempDir('startup'), port?: number): Promise<Failure> {
  try {
    // A failing start exits within seconds; the bound only keeps a start that wrongly succeeds from passing.
    const started = await startOrchestrator({ dataDir, env, port, timeoutMs: 90_000 });
    await stopAll([started.handle]);
  } catch (error) {
    if (!(error instanceof OrchestratorStartError)) throw error;
    const output = readFileSync(path.join(dataDir, 'logs', 'orchestrator.log'), 'utf8');
    return { code: Number(/exited with code (\d+)/.exec(error.message)?.[1]), stderrLine: error.stderrLine, output };
  }
  throw new Error('the orchestrator started');
}

function expectOneClearLine(failure: Failure, line: RegExp): void {
  expect(failure.code).toBe(1);
  expect(failure.stderrLine).toMatch(line);
  expect(failure.output.trim().split('\n')).toEqual([failure.stderrLine]);
  expect(failure.output).not.toMatch(/ready|listening/);
}

describe('orchestrator start-up failures (the real process)', () => {
  it('given a bad BATON_EVENT_STORE, then one line names the variable and the value, exit 1', async () => {
    expectOneClearLine(await failedStart({ BATON_EVENT_STORE: 'mysql://db/baton' }), /^baton orchestrator: cannot start: BATON_EVENT_STORE must be sqlite:<file> or an esdb:\/\/ connection string, got "mysql:\/\/db\/baton"$/);
  });

  it('given BATON_NATS_URL where no NATS answers, then one line names it (password hidden), exit 1', async () => {
    const port = await freePort();
    expectOneClearLine(await failedStart({ BATON_NATS_URL: `nats://baton:s3cret@127.0.0.1:${port}` }), new RegExp(`^baton orchestrator: cannot start: BATON_NATS_URL=nats://baton:\\*\\*\\*@127\\.0\\.0\\.1:${port}: cannot connect to NATS \\(.+\\)$`));
  });

  it('given BATON_HTTP_PORT taken by another process, then one line names it before anything says ready, exit 1', async () => {
    const port = await freePort();
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      expectOneClearLine(await failedStart({}, tempDir('startup-port'), port), new RegExp(`^baton orchestrator: cannot start: BATON_HTTP_PORT=${port}: 127\\.0\\.0\\.1:${port} is in use by another process$`));
    } finally {
      squatter.close();
    }
  });

  it('given a BATON_DATA_DIR that cannot be written, then one line names it, exit 1', async () => {
    const file = path.join(tempDir('startup-file'), 'a-file');
    writeFileSync(file, '');
    expectOneClearLine(await failedStart({ BATON_DATA_DIR: `${file}/data` }, tempDir('startup-dir')), new RegExp(`^baton orchestrator: cannot start: BATON_DATA_DIR=${file}/data: cannot write in ${file}/data \\(ENOTDIR.*\\)$`));
  });

  it('given BATON_LOG_LEVEL=debug, then the stack trace follows the line', async () => {
    const failure = await failedStart({ BATON_EVENT_STORE: 'mysql://db/baton', BATON_LOG_LEVEL: 'debug' });
    expect(failure.code).toBe(1);
    expect(failure.output).toMatch(/^baton orchestrator: cannot start: BATON_EVENT_STORE must be/);
    expect(failure.output).toMatch(/\n\s+at loadConfig /);
  });

  it('given BATON_LOG_FORMAT=pretty and output to a file, then the log is human-readable lines without ANSI codes', async () => {
    const started = await startOrchestrator({ dataDir: tempDir('startup-pretty'), env: { BATON_LOG_FORMAT: 'pretty' }, timeoutMs: 90_000 });
    try {
      // The log file, as a log collector would read it (written a moment after the process prints).
      const output = await waitFor('the ready line in the log file', () => {
        const text = readFileSync(started.handle.logFile, 'utf8');
        return /\] INFO: \[Orchestrator\] ready$/m.test(text) && text;
      });

      expect(output).not.toContain('\u001b[');
      expect(output).not.toMatch(/^\{"level"/m);
      expect(output).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[Orchestrator\] ready$/m);
    } finally {
      await stopAll([started.handle]);
    }
  });
});
