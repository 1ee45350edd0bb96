import type { Provider } from '@nestjs/common';
import { OPERATIONAL_INDEX, type OperationalIndex } from './operational-index.port';

/** Placeholder until the projection-backed index is wired: no recovery, timers in memory only. */
const emptyIndex: OperationalIndex = {
  start: async () => undefined,
  stop: async () => undefined,
  scheduledTasks: async () => [],
  dueBefore: async () => [],
};

export const operationalIndexProvider: Provider = { provide: OPERATIONAL_INDEX, useValue: emptyIndex };
