import { execFile, spawn } from 'node:child_process';
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ChildHandle, repoRoot } from './support/child-process';
import { NATS_URL, resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';

/*
 * The published packages as a service outside the repository gets them: `npm pack` builds and packs
 * @baton/worker-sdk and @baton/client, a scratch project in a temp directory installs the tarballs
 * (their dependencies from the npm registry or npm's cache), and from there a CommonJS worker, an
 * ES-module worker and an ES-module client run against an orchestrator process. TypeScript checks a
 * consumer against the packages' declarations. Run `npm run build` first (the orchestrator).
 */

const run = promisify(execFile);
const fixtures = path.join(repoRoot(), 'test', 'packages');

describe('packages: @baton/worker-sdk and @baton/client installed from their tarballs', () => {
  let project: string;
  let orchestrator: OrchestratorProcess;
  const workers: ChildHandle[] = [];

  beforeAll(async () => {
    project = tempDir('packages');
    const tarballs = tempDir('tarballs');
    await run('npm', ['pack', '--workspace', '@baton/worker-sdk', '--workspace', '@baton/client', '--pack-destination', tarballs], { cwd: repoRoot(), timeout: 180_000 });
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'baton-packages-scratch', version: '1.0.0', private: true }));
    const packed = readdirSync(tarballs).filter((file) => file.endsWith('.tgz')).map((file) => path.join(tarballs, file));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...packed], { cwd: project, timeout: 240_000 });
    for (const file of ['worker.js', 'worker.mjs', 'client.mjs']) copyFileSync(path.join(fixtures, file), path.join(project, file));

    await resetBatonStreams();
    orchestrator = await startOrchestrator({ dataDir: tempDir('packages-orchestrator') });
  }, 420_000);

  afterAll(async () => {
    await stopAll([...workers, orchestrator?.handle]);
  });

  it('given the tarballs installed outside the repository, then each carries its README, JavaScript and declarations and no monorepo alias', async () => {
    for (const name of ['worker-sdk', 'client']) {
      const installed = path.join(project, 'node_modules', '@baton', name);
      const files = (await run('find', [installed, '-type', 'f'])).stdout.split('\n').map((file) => path.relative(installed, file));
      expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', `dist/${name}/src/index.js`, `dist/${name}/src/index.d.ts`]));
      expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
      const aliases = await run('grep', ['-rlE', `["']@app/`, installed]).then((result) => result.stdout.trim(), () => '');
      expect(aliases).toBe('');
    }
  });

  it('given a TypeScript consumer, then it type-checks against the declarations of both packages', async () => {
    writeFileSync(path.join(project, 'consumer.ts'), [
      "import { createWorker, TerminalError, type TaskContext } from '@baton/worker-sdk';",
      "import { BatonClient, BatonApiError, type Verification, type Workflow } from '@baton/client';",
      "const worker = createWorker({ taskType: 'typed_task', handler: (task: TaskContext<{ n: number }>) => { if (task.input.n < 0) throw new TerminalError('negative'); return { twice: task.input.n * 2 }; } });",
      "export async function main(): Promise<[Workflow, Verification, string]> {",
      "  const baton = new BatonClient({ url: 'http://127.0.0.1:8080' });",
      "  await worker.start();",
      "  try { return [await baton.get('x'), await baton.verify('x'), worker.workerId]; } catch (error) { if (error instanceof BatonApiError) throw new Error(error.code); throw error; }",
      '}',
      '',
    ].join('\n'));
    const tsc = path.join(repoRoot(), 'node_modules', 'typescript', 'bin', 'tsc');
    const checked = await run(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', path.join(repoRoot(), 'node_modules', '@types'), 'consumer.ts'], { cwd: project })
      .then(() => '', (error: { stdout?: string }) => error.stdout ?? String(error));
    expect(checked).toBe('');
  });

  it('given a CommonJS and an ES-module worker from the packages, when the packaged client starts a flow, then they complete it and the client reads a verified history', async () => {
    for (const script of ['worker.js', 'worker.mjs']) {
      const child = spawn(process.execPath, [script], { cwd: project, env: { ...process.env, BATON_NATS_URL: NATS_URL }, stdio: ['ignore', 'pipe', 'pipe'] });
      workers.push(new ChildHandle(script, child, path.join(project, `${script}.log`)));
    }
    await Promise.all(workers.map((worker) => worker.waitForLine(/worker ready/, 60_000)));

    const { stdout } = await run(process.execPath, ['client.mjs'], { cwd: project, env: { ...process.env, BATON_URL: orchestrator.api.baseUrl }, timeout: 90_000 });
    const line = stdout.split('\n').find((text) => text.startsWith('RESULT '));
    const result = JSON.parse(line!.slice('RESULT '.length)) as {
      status: string; output: Record<string, unknown>; workers: string[]; eventTypes: string[]; verification: { valid: boolean; eventsChecked: number };
    };

    expect(result.status).toBe('COMPLETED');
    expect(result.output).toEqual({ shouted: 'HELLO BATON', letters: 11 });
    expect(result.workers).toEqual(['packaged-cjs-worker', 'packaged-esm-worker']);
    expect(result.eventTypes[0]).toBe('ExecutionStarted');
    expect(result.eventTypes.at(-1)).toBe('ExecutionCompleted');
    expect(result.verification).toEqual(expect.objectContaining({ valid: true, eventsChecked: result.eventTypes.length }));
  });
});
