import { RetentionPolicy, StorageType, type JetStreamManager, type NatsConnection } from 'nats';
import { ensureStream } from '../jetstream-setup';
import { uniqueToken } from './unique-token';

/** A stream only one test run knows about, with the subjects `<prefix>.>`. */
export interface TestStream {
  name: string;
  /** `t<token>`: publish on `<prefix>.<anything>`. */
  prefix: string;
  jsm: JetStreamManager;
  /** Deletes the stream (and with it its consumers). */
  dispose(): Promise<void>;
}

export async function createTestStream(
  connection: NatsConnection,
  options: { retention?: RetentionPolicy; duplicateWindowMs?: number } = {},
): Promise<TestStream> {
  const token = uniqueToken();
  const name = `TEST_${token.toUpperCase()}`;
  const prefix = `t${token}`;
  const jsm = await connection.jetstreamManager();
  await ensureStream(jsm, {
    name,
    subjects: [`${prefix}.>`],
    retention: options.retention ?? RetentionPolicy.Workqueue,
    storage: StorageType.File,
    duplicate_window: (options.duplicateWindowMs ?? 120_000) * 1_000_000,
  });
  return {
    name,
    prefix,
    jsm,
    dispose: async () => {
      await jsm.streams.delete(name).catch(() => undefined);
    },
  };
}
