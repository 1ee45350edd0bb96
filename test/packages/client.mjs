// A client of a service outside the Baton repository, with @baton/client installed from its
// tarball (test/packages.e2e-spec.ts): registers a two-task flow, starts it, waits for the end,
// then reads its history and verifies its hash chain. Prints one line: RESULT {json}.
import { BatonClient } from '@baton/client';

const baton = new BatonClient({ url: process.env.BATON_URL, clientName: 'packaged-client' });

await baton.putTaskDefs([
  { name: 'pkg_shout', retryCount: 0, responseTimeoutSeconds: 30 },
  { name: 'pkg_count', retryCount: 0, responseTimeoutSeconds: 30 },
]);
await baton.putWorkflows([{
  name: 'pkg_flow',
  version: 1,
  schemaVersion: 2,
  tasks: [
    { name: 'pkg_shout', taskReferenceName: 'shout', type: 'SIMPLE', inputParameters: { text: '${workflow.input.text}' } },
    { name: 'pkg_count', taskReferenceName: 'count', type: 'SIMPLE', inputParameters: { text: '${shout.output.shouted}' } },
  ],
  outputParameters: { shouted: '${shout.output.shouted}', letters: '${count.output.letters}' },
}]);

const id = await baton.start({ name: 'pkg_flow', input: { text: 'hello baton' } });
const deadline = Date.now() + 60_000;
let workflow = await baton.get(id);
while (workflow.status === 'RUNNING' && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 100));
  workflow = await baton.get(id);
}
const history = await baton.history(id);
const verification = await baton.verify(id);
console.log(`RESULT ${JSON.stringify({
  id,
  status: workflow.status,
  output: workflow.output,
  workers: workflow.tasks.map((task) => task.workerId),
  eventTypes: history.map((event) => event.type),
  verification,
})}`);
