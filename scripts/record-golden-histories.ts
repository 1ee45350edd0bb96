/**
 * `npm run fixtures:histories`: records the golden histories in test/fixtures/histories from
 * scripted scenarios run through the pure decider. Commit the files; the replay test then fails
 * whenever a code change would replay a stored history differently or decide differently next.
 * Only re-record on purpose (a deliberate change of behaviour), and say so in the commit.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { storedForm, type GoldenFile } from '@app/testing/golden/golden-history';
import { GOLDEN_SCENARIOS, goldenSnapshot, runScenario } from '../test/fixtures/golden-scenarios';

for (const scenario of GOLDEN_SCENARIOS) {
  const run = runScenario(scenario);
  const golden: GoldenFile = {
    description: scenario.description,
    executionId: scenario.executionId,
    commands: run.commands,
    events: storedForm(scenario.executionId, run.events),
    state: goldenSnapshot(run.state),
    ...(run.next ? { next: run.next } : {}),
  };
  const file = path.join(__dirname, '..', '..', 'test', 'fixtures', 'histories', `${scenario.name}.json`);
  writeFileSync(file, `${JSON.stringify(golden, null, 2)}\n`);
  console.log(`recorded ${file} (${run.events.length} events)`);
}
