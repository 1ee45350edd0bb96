import type { Command } from 'commander';
import type { CommandKit } from '../command-kit';
import { UsageError } from '../exit-codes';
import { ratePerSecond, withProgress } from '../output/progress';
import { withStore } from './store.commands';

export const DEFAULT_READ_MODEL = 'sqlite:./data/read-model.db';

export function registerProjectionCommands(program: Command, kit: CommandKit): void {
  const projections = program.command('projections').description("the orchestrator's read models (execution index, timers, task report)");
  projections
    .command('rebuild')
    .description('rebuild the read models from the store, from scratch (stop the orchestrators using them first)')
    .option('--read-model <url>', 'sqlite:<file> or postgres://… (default BATON_READ_MODEL, else sqlite:./data/read-model.db)')
    .action(kit.action<{ readModel?: string }>(async (context, _args, options) => {
      const url = options.readModel ?? process.env.BATON_READ_MODEL ?? DEFAULT_READ_MODEL;
      if (!/^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(url)) throw new UsageError(`--read-model must be sqlite:<file> or a postgres:// URL, got "${url}"`);
      const [{ rebuildReadModels }, { createReadModelDb }] = await Promise.all([import('@app/audit'), import('@app/projections')]);
      const started = performance.now();
      const summary = await withStore(context, true, async (store) => {
        const readModel = await createReadModelDb(url);
        try {
          return await withProgress(context, 'rebuild', 'events', (progress) => rebuildReadModels(store, readModel.db, { onProgress: (p) => progress.update(p.share, p.events) }));
        } finally {
          await readModel.close();
        }
      });
      const durationMs = Math.round(performance.now() - started);
      context.output.result({ ...summary, durationMs, eventsPerSecond: ratePerSecond(summary.events, durationMs) }, () =>
        context.output.line(`✓ read models rebuilt from ${summary.events} events in ${durationMs} ms (${ratePerSecond(summary.events, durationMs)} events/s), up to position ${summary.checkpoint?.commit ?? 'start'}${summary.previousCheckpoint ? ' (where they were)' : ''}`),
      );
    }));
}
