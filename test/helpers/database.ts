import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/adapters/db/client.js';
import { readMigrationList } from '../../src/adapters/db/migrations.js';
import { prismaPaths } from '../../src/adapters/db/provider.js';

export type TestDatabase = Database & { url: string; drop(): Promise<void> };

/** TEST_DATABASE_URL selects PostgreSQL for the suites that run on both; otherwise SQLite. */
export const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;

export type Templates = { dir: string; postgresSchema: string };

/** This run's templates (test/setup/database-templates.ts); none outside vitest, as in the benchmarks. */
async function templates(): Promise<Templates | undefined> {
  if (!process.env.VITEST) return undefined;
  const { inject } = await import('vitest');
  return inject('databaseTemplates');
}

/**
 * A fresh, migrated database: a temp SQLite file, or a new schema in the test PostgreSQL. It is a copy
 * of the one the schema engine migrated before the run's tests started; `fresh` migrates it from empty instead, as a
 * first start in production does.
 */
export async function createTestDatabase(
  kind: 'sqlite' | 'postgresql' = 'sqlite',
  options: { fresh?: boolean } = {},
): Promise<TestDatabase> {
  const from = options.fresh ? undefined : await templates();
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'kuota-test-'));
    const file = path.join(dir, 'test.db');
    if (from) copyFileSync(sqliteTemplate(from.dir), file);
    const url = `file:${file}`;
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
  if (from) await copyPostgresTemplate(from.postgresSchema, schema);
  const database = await openDatabase(schemaUrl(schema));
  return {
    ...database,
    url: schemaUrl(schema),
    drop: async () => {
      await database.close();
      await withPostgres((client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    },
  };
}

/** The kinds to run a suite on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const databaseKinds: Array<'sqlite' | 'postgresql'> = postgresUrl ? ['sqlite', 'postgresql'] : ['sqlite'];

function schemaUrl(schema: string): string {
  return `${postgresUrl}${postgresUrl!.includes('?') ? '&' : '?'}schema=${schema}`;
}

async function withPostgres<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Where the run's migrated SQLite file is (test/setup/database-templates.ts makes it). */
function sqliteTemplate(dir: string): string {
  return path.join(dir, 'template.db');
}

/**
 * Has the schema engine migrate the run's templates, before any test starts: a test that made one
 * would spend its own time limit on it, and test files that start together would each make one.
 */
export async function migrateTemplates(templates: Templates): Promise<void> {
  const sqlite = await openDatabase(`file:${sqliteTemplate(templates.dir)}`);
  // Out of WAL mode, so the one file holds everything a copy needs.
  await sqlite.db.$queryRawUnsafe('PRAGMA journal_mode = DELETE');
  await sqlite.close();
  if (postgresUrl) await (await openDatabase(schemaUrl(templates.postgresSchema))).close();
}

let postgresMigrationSql: string | undefined;

/**
 * A new schema holding what the run's template schema holds: the committed migration scripts (as the
 * schema engine runs them) and the engine's own record of having applied them, so opening it applies
 * nothing.
 */
async function copyPostgresTemplate(template: string, schema: string): Promise<void> {
  const paths = prismaPaths(path.resolve(import.meta.dirname, '../..'), 'postgresql');
  await withPostgres(async (client) => {
    postgresMigrationSql ??= readMigrationList(paths.migrations)
      .migrationDirectories.map((d) => (d.migrationFile.content.tag === 'ok' ? d.migrationFile.content.value : ''))
      .join('\n');
    await client.query(
      `BEGIN; CREATE SCHEMA "${schema}"; SET LOCAL search_path TO "${schema}";\n${postgresMigrationSql};\n` +
        `CREATE TABLE "_prisma_migrations" (LIKE "${template}"."_prisma_migrations" INCLUDING ALL);\n` +
        `INSERT INTO "_prisma_migrations" SELECT * FROM "${template}"."_prisma_migrations"; COMMIT;`,
    );
  });
}
