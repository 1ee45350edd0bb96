import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { decide, initialState, replay, type ExecutionCommand, type ExecutionEvent } from '@app/domain';
import { goldenSnapshot } from '../../../../test/fixtures/golden-scenarios';

interface GoldenHistory {
  readonly description: string;
  readonly executionId: string;
  readonly events: readonly ExecutionEvent[];
  readonly state: Record<string, unknown>;
  readonly next?: { readonly command: { readonly command: ExecutionCommand; readonly now: number }; readonly events: readonly ExecutionEvent[] };
}

const DIRECTORY = path.resolve(__dirname, '../../../../test/fixtures/histories');
const files = readdirSync(DIRECTORY).filter((file) => file.endsWith('.json'));

/**
 * Replay is deterministic: every stored history must fold to the state it was recorded with and
 * lead to the same next decision. A failure here means a change would read old histories
 * differently — fix the change, or re-record on purpose (`npm run fixtures:histories`).
 */
describe('golden histories (test/fixtures/histories)', () => {
  it('given the fixtures directory, then it holds histories', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  describe.each(files)('%s', (file) => {
    const golden = JSON.parse(readFileSync(path.join(DIRECTORY, file), 'utf8')) as GoldenHistory;

    it(`given its ${golden.events.length} events, when replayed, then the state is the recorded one`, () => {
      const state = replay(golden.events, initialState(golden.executionId));
      expect(goldenSnapshot(state)).toEqual(golden.state);
    });

    it('given the replayed state, when the next command is decided, then the decision is the recorded one', () => {
      if (!golden.next) return;
      const state = replay(golden.events, initialState(golden.executionId));
      const decision = decide(golden.next.command.command, state, { now: golden.next.command.now });
      expect(decision.ignored).toBeUndefined();
      expect(decision.events).toEqual(golden.next.events);
    });
  });
});
