import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/adapters/db/client.js';

export type TestDatabase = Database & { url: string; drop(): Promise<void> };

/** TEST_DATABASE_URL selects PostgreSQL for the suites that run on both; otherwise SQLite. */
export const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;

/** A fresh, migrated database: a temp SQLite file, or a new schema in the test PostgreSQL. */
export async function createTestDatabase(kind: 'sqlite' | 'postgresql' = 'sqlite'): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'kuota-test-'));
    const url = `file:${path.join(dir, 'test.db')}`;
    const database = await openDatabase(url);
    return {
      ...database,
      url,
      drop: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (!postgresUrl) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const url = `${postgresUrl}${postgresUrl.includes('?') ? '&' : '?'}schema=${schema}`;
  const database = await openDatabase(url);
  return {
    ...database,
    url,
    drop: async () => {
      await database.close();
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

/** The kinds to run a suite on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const databaseKinds: Array<'sqlite' | 'postgresql'> = postgresUrl ? ['sqlite', 'postgresql'] : ['sqlite'];
