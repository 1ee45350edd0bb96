import { Logger } from '@nestjs/common';
import { EventStoreUnavailableError, StreamRevisionConflictError, type EventStore } from '@app/event-store';
import { loadConfig } from '../config/baton-config';
import { OrchestratorMetrics } from '../health/orchestrator-metrics.service';
import { EventStoreAvailability } from './event-store-availability.service';

/** A store whose ping fails while `down` is set; counts the pings. */
function storeThatIs(state: { down: boolean; pings: number }): EventStore {
  return {
    ping: async () => {
      state.pings += 1;
      if (state.down) throw new EventStoreUnavailableError('connection refused');
    },
  } as unknown as EventStore;
}

describe('EventStoreAvailability', () => {
  const unreachable = new EventStoreUnavailableError('EventStoreDB is unreachable: 14 UNAVAILABLE');
  let state: { down: boolean; pings: number };
  let metrics: OrchestratorMetrics;
  let availability: EventStoreAvailability;
  let heard: boolean[];

  // The outage warnings are expected here.
  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(() => {
    jest.useFakeTimers();
    state = { down: true, pings: 0 };
    metrics = new OrchestratorMetrics();
    availability = new EventStoreAvailability(storeThatIs(state), loadConfig({ BATON_RESULT_RETRY_MAX_MS: '1000' }), metrics);
    heard = [];
    availability.onChange((available) => heard.push(available));
  });

  afterEach(() => {
    availability.onApplicationShutdown();
    jest.useRealTimers();
  });

  const gauge = async () => (await metrics.eventStoreAvailable.get()).values[0]?.value;

  it('given failures that say the store is unreachable, when the store answers again, then listeners hear it go down once and come back once', async () => {
    availability.reportFailure(unreachable);
    availability.reportFailure(unreachable);
    expect({ available: availability.available, heard, gauge: await gauge() }).toEqual({ available: false, heard: [false], gauge: 0 });

    // while down, pings back off (200 ms doubling, capped at 1 s): 200 + 400 + 800 + 1000 ms, about four in 2.5 s
    await jest.advanceTimersByTimeAsync(2_500);
    expect(state.pings).toBeGreaterThanOrEqual(3);
    expect(state.pings).toBeLessThanOrEqual(5);
    expect(heard).toEqual([false]);

    state.down = false;
    await jest.advanceTimersByTimeAsync(1_000);
    expect({ available: availability.available, heard, gauge: await gauge() }).toEqual({ available: true, heard: [false, true], gauge: 1 });
  });

  it('given failures of another kind, when reported, then nothing changes and the store is not probed', async () => {
    availability.reportFailure(new StreamRevisionConflictError('execution-1', 3n, 4n));
    availability.reportFailure(new Error('boom'));

    await jest.advanceTimersByTimeAsync(2_000);
    expect({ available: availability.available, heard, pings: state.pings }).toEqual({ available: true, heard: [], pings: 0 });
  });

  it('given an outage, when the application shuts down, then probing stops', async () => {
    availability.reportFailure(unreachable);
    await jest.advanceTimersByTimeAsync(300);
    const pings = state.pings;

    availability.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(state.pings).toBe(pings);
    expect(heard).toEqual([false]);
  });
});
