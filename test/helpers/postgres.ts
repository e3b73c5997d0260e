import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** The PostgreSQL server of this run (test/helpers/postgres-setup.ts); '' when there is none. */
export const DATABASE_URL = inject('databaseUrl');

/** `describe.skipIf` condition and name for the PostgreSQL half: the name says when it is skipped. */
export const NO_POSTGRES = DATABASE_URL === '';
export const POSTGRES = NO_POSTGRES ? 'PostgreSQL (SKIPPED: no PostgreSQL server, see test/helpers/postgres-setup.ts)' : 'PostgreSQL';

/**
 * A fresh, empty schema on the test server, and the URL of a store in it (its search_path), so that
 * each test has its own database while sharing one server; `drop` removes it.
 */
export async function freshSchema(): Promise<{ url: string; schema: string; drop: () => Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  const url = new URL(DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    schema,
    drop: async () => {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
