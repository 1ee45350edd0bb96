import { redactProcessOutput, redactSecrets, redactValue } from './redaction';

describe('redacting secrets from what is printed', () => {
  it.each([
    ['store esdb://admin:changeit@db:2113?tls=false', 'store esdb://admin:***@db:2113?tls=false'],
    ['esdb+discover://admin:changeit@n1:2113,n2:2113', 'esdb+discover://admin:***@n1:2113,n2:2113'],
    ['NATS nats://worker:pa55@nats-1:4222,nats://worker:pa55@nats-2:4222', 'NATS nats://worker:***@nats-1:4222,nats://worker:***@nats-2:4222'],
    ['NATS nats://s3cret-token@nats:4222', 'NATS nats://***@nats:4222'],
    ['postgres://baton:hunter2@pg:5432/baton', 'postgres://baton:***@pg:5432/baton'],
    ['got "postgresql://u:p%40ss@pg/db"', 'got "postgresql://u:***@pg/db"'],
    ['esdb://db:2113?tls=true&password=changeit&token=abc', 'esdb://db:2113?tls=true&password=***&token=***'],
    ['auth failed: password="x y" token: abc', 'auth failed: password="***" token: ***'],
  ])('%s', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it('leaves texts without secrets alone', () => {
    for (const text of ['nats://127.0.0.1:4222', 'sqlite:/data/baton.db', 'http://host/search?email=a@example.com', 'task exec-1-1 is a charge task', 'mail a@example.com']) {
      expect(redactSecrets(text)).toBe(text);
    }
  });

  it('replaces fields named like secrets and redacts every string of a structured value', () => {
    const config = {
      natsUrl: 'nats://u:secret@nats:4222',
      natsSecurity: { user: 'u', password: 'secret', token: 'secret', nkeySeed: 'SUsecret', credsFile: '/etc/nats/w.creds' },
      headers: { authorization: 'Bearer secret', accept: 'application/json' },
      list: ['esdb://admin:secret@db:2113'],
      at: new Date(0),
      count: 3,
    };

    const printed = redactValue(config);

    expect(JSON.stringify(printed)).not.toContain('secret');
    expect(printed).toEqual({
      natsUrl: 'nats://u:***@nats:4222',
      natsSecurity: { user: 'u', password: '***', token: '***', nkeySeed: '***', credsFile: '/etc/nats/w.creds' },
      headers: { authorization: '***', accept: 'application/json' },
      list: ['esdb://admin:***@db:2113'],
      at: new Date(0),
      count: 3,
    });
  });

  it('turns an error into its redacted name, message and stack, and survives cycles', () => {
    const error = new Error('cannot connect to esdb://admin:secret@db:2113');
    const cyclic: Record<string, unknown> = { error };
    cyclic.self = cyclic;

    const printed = redactValue(cyclic) as { error: { type: string; message: string; stack: string }; self: unknown };

    expect(printed.error).toMatchObject({ type: 'Error', message: 'cannot connect to esdb://admin:***@db:2113' });
    expect(printed.error.stack).not.toContain('secret');
    expect(printed.self).toBe('[…]');
  });
});

describe('redacting what the process writes', () => {
  it('given a library writing a connection string to stderr, when the output is redacted, then the password is not written', () => {
    const written: unknown[] = [];
    const original = { out: process.stdout.write, err: process.stderr.write };
    process.stdout.write = ((chunk: unknown) => written.push(chunk) > 0) as typeof process.stdout.write;
    process.stderr.write = ((chunk: unknown) => written.push(chunk) > 0) as typeof process.stderr.write;
    try {
      redactProcessOutput();
      process.stderr.write('Unknown option key "x"\nesdb://admin:secret@db:2113?x=1\n');
      process.stdout.write(Buffer.from('NATS nats://u:secret@nats:4222 up\n'));
      process.stdout.write(new Uint8Array([0x6f, 0x6b, 0x0a]));
    } finally {
      process.stdout.write = original.out;
      process.stderr.write = original.err;
    }

    expect(written.map((chunk) => Buffer.from(chunk as string).toString('utf8'))).toEqual(['Unknown option key "x"\nesdb://admin:***@db:2113?x=1\n', 'NATS nats://u:***@nats:4222 up\n', 'ok\n']);
  });
});
