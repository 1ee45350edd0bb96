import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL server tests use (trust auth on this machine). */
export const TEST_POSTGRES_URL = process.env.BATON_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema of its own in the test database, for one suite's read model. */
export interface ScratchSchema {
  /** `BATON_READ_MODEL` value pointing at the schema. */
  readonly url: string;
  drop(): Promise<void>;
}

/** Names a fresh schema (the read model creates it) and drops it afterwards, keeping the shared database clean. */
export async function scratchPostgresSchema(prefix: string): Promise<ScratchSchema> {
  const schema = `baton_e2e_${prefix}_${randomBytes(4).toString('hex')}`;
  return {
    url: `${TEST_POSTGRES_URL}?schema=${schema}`,
    drop: async () => {
      const client = new Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
