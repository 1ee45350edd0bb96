import { parseReadModelUrl, redact } from './read-model-url';

describe('parseReadModelUrl', () => {
  it.each([
    ['sqlite::memory:', ':memory:'],
    ['sqlite:data/read.db', 'data/read.db'],
    ['sqlite:/tmp/read.db', '/tmp/read.db'],
    ['sqlite:///tmp/read.db', '/tmp/read.db'],
  ])('given %s, then SQLite at %s', (url, path) => {
    expect(parseReadModelUrl(url)).toEqual({ dialect: 'sqlite', path });
  });

  it('given a postgres URL with a schema, then the schema is taken out of the connection string', () => {
    expect(parseReadModelUrl('postgres://u:p@db:5432/baton?schema=reports&sslmode=disable')).toEqual({
      dialect: 'postgres',
      connectionString: 'postgres://u:p@db:5432/baton?sslmode=disable',
      schema: 'reports',
    });
  });

  it('given postgresql:// without a schema, then no schema', () => {
    expect(parseReadModelUrl('postgresql://db/baton')).toEqual({ dialect: 'postgres', connectionString: 'postgresql://db/baton' });
  });

  it.each(['mysql://db/x', 'sqlite:', 'postgres://db/x?schema=Bad-Name'])('given %s, then it is rejected', (url) => {
    expect(() => parseReadModelUrl(url)).toThrow(/read-model URL/);
  });

  it('redacts passwords', () => {
    expect(redact('postgres://u:secret@db/x')).toBe('postgres://u:***@db/x');
  });
});
