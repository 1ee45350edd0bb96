import { AckPolicy, nanos, RetentionPolicy, StorageType, type JetStreamManager, type NatsConnection } from 'nats';
import { DLQ_STREAM, NOTIFICATIONS_STREAM, RESULTS_STREAM, TASKS_STREAM } from './contract/subjects';
import { MessagingErrorCodes } from './messaging.errors';
import { ensureDurableConsumer, ensureStream, ensureStreams } from './jetstream-setup';
import { closeNats, connectNats } from './nats-connection';
import { uniqueToken } from './testing/unique-token';

// Real servers answer in milliseconds, but a loaded CI machine may need more than Jest's 5 s default.
jest.setTimeout(30_000);

describe('JetStream setup (real NATS)', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const created: string[] = [];

  beforeAll(async () => {
    nc = await connectNats({ name: 'setup-int-spec' });
    jsm = await nc.jetstreamManager();
  });

  afterAll(async () => {
    await Promise.all(created.map((name) => jsm.streams.delete(name).catch(() => undefined)));
    await closeNats(nc);
  });

  function testStreamName(): string {
    const name = `SETUP_${uniqueToken().toUpperCase()}`;
    created.push(name);
    return name;
  }

  it('creates the four Baton streams with the contract subjects and retention, and is idempotent', async () => {
    // when ensureStreams runs twice, as two replicas starting together would
    await Promise.all([ensureStreams(jsm), ensureStreams(jsm)]);
    const infos = await ensureStreams(jsm);

    // then the streams exist as the design describes
    const byName = Object.fromEntries(infos.map((info) => [info.config.name, info.config]));
    expect(byName[TASKS_STREAM]).toMatchObject({ subjects: ['baton.task.>'], retention: RetentionPolicy.Workqueue, storage: StorageType.File, duplicate_window: nanos(120_000) });
    expect(byName[RESULTS_STREAM]).toMatchObject({ subjects: ['baton.result.>'], retention: RetentionPolicy.Workqueue });
    expect(byName[DLQ_STREAM]).toMatchObject({ subjects: ['baton.dlq.>'], retention: RetentionPolicy.Limits, max_age: nanos(7 * 86_400_000), max_bytes: 1024 ** 3 });
    expect(byName[NOTIFICATIONS_STREAM]).toMatchObject({ subjects: ['baton.execution.>'], retention: RetentionPolicy.Limits, max_age: nanos(86_400_000) });
  });

  it('tolerates replicas racing to create the same stream', async () => {
    const name = testStreamName();
    const config = { name, subjects: [`${name.toLowerCase()}.>`], retention: RetentionPolicy.Workqueue, storage: StorageType.File };

    const results = await Promise.all(Array.from({ length: 5 }, () => ensureStream(jsm, config)));

    expect(new Set(results.map((info) => info.config.name))).toEqual(new Set([name]));
  });

  it('updates a stream whose configuration changed', async () => {
    const name = testStreamName();
    const config = { name, subjects: [`${name.toLowerCase()}.>`], retention: RetentionPolicy.Limits, storage: StorageType.File, max_age: nanos(60_000) };
    await ensureStream(jsm, config);

    const updated = await ensureStream(jsm, { ...config, max_age: nanos(120_000) });

    expect(updated.config.max_age).toBe(nanos(120_000));
  });

  it('refuses a change the server cannot make in place, with a typed error', async () => {
    const name = testStreamName();
    const config = { name, subjects: [`${name.toLowerCase()}.>`], retention: RetentionPolicy.Limits, storage: StorageType.File };
    await ensureStream(jsm, config);

    await expect(ensureStream(jsm, { ...config, retention: RetentionPolicy.Workqueue })).rejects.toMatchObject({
      code: MessagingErrorCodes.StreamConfigConflict,
      retryable: false,
    });
  });

  it('creates a durable pull consumer and updates it in place', async () => {
    const name = testStreamName();
    await ensureStream(jsm, { name, subjects: [`${name.toLowerCase()}.>`], retention: RetentionPolicy.Workqueue, storage: StorageType.File });
    const spec = { stream: name, durable: 'workers', filterSubject: `${name.toLowerCase()}.a`, ackWaitMs: 30_000, maxDeliver: -1, maxAckPending: 100 };

    const createdInfo = await ensureDurableConsumer(jsm, spec);
    const updatedInfo = await ensureDurableConsumer(jsm, { ...spec, ackWaitMs: 60_000, maxAckPending: 200 });

    expect(createdInfo.config).toMatchObject({ durable_name: 'workers', ack_policy: AckPolicy.Explicit, filter_subject: `${name.toLowerCase()}.a`, max_ack_pending: 100 });
    expect(updatedInfo.config).toMatchObject({ ack_wait: nanos(60_000), max_ack_pending: 200 });
  });
});
