import type { Command } from 'commander';
import type { ReplayCheckReport } from '@app/audit';
import type { EventStore } from '@app/event-store';
import { integerOption, type CliContext } from '../cli-context';
import type { CommandKit } from '../command-kit';
import { CommandFailure, ExitCode, UsageError } from '../exit-codes';
import { ratePerSecond, withProgress } from '../output/progress';

/** Runs `work` on the store of `--store`, closed afterwards whatever happens. */
export async function withStore<T>(context: CliContext, readOnly: boolean, work: (store: EventStore) => Promise<T>): Promise<T> {
  const store = await context.openStore({ readOnly });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** Offline commands, straight against a store: verify, export, import, replay-check. */
export function registerStoreCommands(program: Command, kit: CommandKit): void {
  program
    .command('verify')
    .description("re-check hash chains: one execution's, or every stream of the store (--all); exit 1 on any failure")
    .argument('[id]', 'execution id')
    .option('--all', 'every stream of the store')
    .option('--online', "ask the orchestrator (--url) to verify the execution instead of reading the store")
    .action(kit.action<{ all?: boolean; online?: boolean }>(async (context, [id], options) => {
      if (id !== undefined && options.all) throw new UsageError('give an execution id or --all, not both');
      if (id === undefined && !options.all) throw new UsageError('give an execution id, or --all to verify every stream');
      if (options.online) {
        if (id === undefined) throw new UsageError('--online verifies one execution: give its id');
        const report = await context.client().verify(id as string);
        context.output.result(report, () => context.output.line(report.valid ? `✓ ${id as string}: ${report.events} events, chain intact` : `✗ ${id as string}: first bad revision ${report.firstInvalid?.revision} (${report.firstInvalid?.reason})`));
        return report.valid ? ExitCode.Ok : ExitCode.CheckFailed;
      }
      const { verifyStore } = await import('@app/audit');
      const { executionIdOfStream, executionStream } = await import('@app/domain');
      const started = performance.now();
      const report = await withStore(context, true, (store) =>
        withProgress(context, 'verify', 'events', (progress) =>
          verifyStore(store, { ...(id !== undefined ? { streamName: executionStream(id as string) } : {}), onProgress: (p) => progress.update(p.share, p.events) }),
        ),
      ).catch(unknownExecution(id));
      const durationMs = Math.round(performance.now() - started);
      const failures = report.failures.map((failure) => ({ ...failure, executionId: executionIdOfStream(failure.streamName) }));
      context.output.result({ ...report, failures, durationMs, eventsPerSecond: ratePerSecond(report.events, durationMs) }, () => {
        if (failures.length > 0) {
          context.output.table(['stream', 'first bad revision', 'reason'], failures.map((failure) => [failure.streamName, failure.revision, failure.reason]));
        }
        context.output.line(`${report.valid ? '✓' : '✗'} ${report.events} events in ${report.streams} streams checked in ${durationMs} ms (${ratePerSecond(report.events, durationMs)} events/s)${report.valid ? ', every hash chain intact' : `, ${failures.length} stream(s) altered`}`);
      });
      return report.valid ? ExitCode.Ok : ExitCode.CheckFailed;
    }));

  program
    .command('export')
    .description('write every stream of the store to a JSON-lines file (gzip for *.gz), in the global order, with metadata and hash chains')
    .requiredOption('--to <file>', 'file.jsonl or file.jsonl.gz')
    .action(kit.action<{ to: string }>(async (context, _args, options) => {
      const { exportStore } = await import('@app/audit');
      const started = performance.now();
      const summary = await withStore(context, true, (store) => withProgress(context, 'export', 'events', (progress) => exportStore(store, options.to, { onProgress: (p) => progress.update(p.share, p.events) })));
      const durationMs = Math.round(performance.now() - started);
      context.output.result({ ...summary, durationMs, eventsPerSecond: ratePerSecond(summary.events, durationMs) }, () =>
        context.output.line(`✓ ${summary.events} events of ${summary.streams} streams exported to ${summary.file} in ${durationMs} ms (${ratePerSecond(summary.events, durationMs)} events/s)`),
      );
    }));

  program
    .command('import')
    .description('append every event of an export file to the store (--store), then verify it; run it again to resume an interrupted import')
    .requiredOption('--from <file>', 'a file written by baton export')
    .option('--batch-size <n>', 'events per commit', '2000')
    .option('--no-verify', 'skip the verification after the import')
    .action(kit.action<{ from: string; batchSize: string; verify: boolean }>(async (context, _args, options) => {
      const batchSize = integerOption('--batch-size', options.batchSize, 1, 100_000);
      const { importStore, verifyImport } = await import('@app/audit');
      const started = performance.now();
      const result = await withStore(context, false, async (store) => {
        const summary = await withProgress(context, 'import', 'events', (progress) =>
          importStore(store, options.from, { batchSize, onProgress: (p) => progress.update(p.total > 0 ? p.events / p.total : 1, p.events) }),
        );
        const importMs = Math.round(performance.now() - started);
        const verification = options.verify ? await verifyImport(store, options.from) : undefined;
        return { ...summary, durationMs: importMs, eventsPerSecond: ratePerSecond(summary.events, importMs), ...(verification ? { verification } : {}) };
      });
      const valid = result.verification?.valid ?? true;
      context.output.result(result, () => {
        context.output.line(`✓ ${result.events} events of ${result.streams} streams imported in ${result.durationMs} ms (${result.eventsPerSecond} events/s)${result.alreadyPresent > 0 ? `; ${result.alreadyPresent} were there already (resumed)` : ''}`);
        const verification = result.verification;
        if (!verification) return;
        if (verification.valid) context.output.line(`✓ verified: ${verification.events} events, every hash chain intact, the file's order kept`);
        for (const failure of verification.chainFailures) context.output.line(`✗ ${failure.streamName}: first bad revision ${failure.revision} (${failure.reason})`);
        if (verification.outOfOrder) context.output.line(`✗ event ${verification.outOfOrder.id} (${verification.outOfOrder.streamName}@${verification.outOfOrder.revision}) is missing from the store or out of the file's order`);
      });
      return valid ? ExitCode.Ok : ExitCode.CheckFailed;
    }));

  program
    .command('replay-check')
    .description('prove the current code would have stored every history (or one): each decision is decided again and compared; exit 1 on any difference')
    .argument('[id]', 'execution id (default: every execution)')
    .action(kit.action(async (context, [id]) => {
      const { replayCheckStore } = await import('@app/audit');
      const started = performance.now();
      const report: ReplayCheckReport = await withStore(context, true, (store) =>
        withProgress(context, 'replay-check', 'executions', (progress) =>
          replayCheckStore(store, { ...(id !== undefined ? { executionId: id as string } : {}), onProgress: (p) => progress.update(p.total > 0 ? p.checked / p.total : 1, p.checked) }),
        ),
      ).catch(unknownExecution(id));
      const durationMs = Math.round(performance.now() - started);
      context.output.result({ ...report, durationMs }, () => {
        if (report.failures.length > 0) {
          context.output.table(['execution', 'workflow', 'first differing revision', 'difference'], report.failures.map((failure) => [failure.executionId, failure.workflowName, failure.difference.revision, `${failure.difference.kind}: ${failure.difference.message}`]));
        }
        context.output.line(`${report.ok ? '✓' : '✗'} ${report.executions} executions, ${report.decisions} decisions (${report.events} events) replayed in ${durationMs} ms${report.ok ? ': the current code stores the same histories' : `: ${report.failures.length} differ`}`);
      });
      return report.ok ? ExitCode.Ok : ExitCode.CheckFailed;
    }));
}

/** A missing stream means the execution id given is not in the store. */
function unknownExecution(id: unknown): (error: unknown) => never {
  return (error) => {
    if (error instanceof Error && error.name === 'StreamNotFoundError') throw new CommandFailure(`no execution ${String(id)} in the store`);
    throw error;
  };
}
