/**
 * `npm run fixtures:histories`: records the golden histories in test/fixtures/histories from
 * scripted scenarios run through the pure decider. Commit the files; the replay test then fails
 * whenever a code change would replay a stored history differently or decide differently next.
 * Only re-record on purpose (a deliberate change of behaviour), and say so in the commit.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ExecutionCommand } from '@app/domain';
import { runCommands } from '@app/testing/decider';
import { GOLDEN_SCENARIOS, goldenSnapshot } from '../test/fixtures/golden-scenarios';

for (const scenario of GOLDEN_SCENARIOS) {
  const { events, state } = runCommands(scenario.executionId, scenario.commands as { command: ExecutionCommand; now: number }[]);
  const next = scenario.next ? runCommands(scenario.executionId, [scenario.next], events) : undefined;
  const file = path.join(__dirname, '..', '..', 'test', 'fixtures', 'histories', `${scenario.name}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        description: scenario.description,
        executionId: scenario.executionId,
        events,
        state: goldenSnapshot(state),
        ...(scenario.next && next ? { next: { command: scenario.next, events: next.events.slice(events.length) } } : {}),
      },
      null,
      2,
    )}\n`,
  );
  console.log(`recorded ${file} (${events.length} events)`);
}
