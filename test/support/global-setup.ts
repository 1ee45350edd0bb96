import { ensureNats } from '../../scripts/ensure-nats';

/** Integration and end-to-end tests talk to a real NATS server: start one if none answers. */
export default async function globalSetup(): Promise<void> {
  await ensureNats();
}
