import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { PrismaClient as SqliteClient } from './generated/sqlite/client.js';
import { applyMigrations, readMigrationList } from './migrations.js';
import { prismaPaths, providerOf, type DatabaseProvider } from './provider.js';
import { checkSqliteWritable } from './sqlite-access.js';

/** Both generated clients share one shape; the SQLite one names the type. */
export type Db = SqliteClient;
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];
/** The generated query types (filters, update inputs), for services that pass Prisma arguments through. */
export type { Prisma } from './generated/sqlite/client.js';

export type Database = { db: Db; provider: DatabaseProvider; close(): Promise<void> };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function adapterFor(url: string) {
  if (providerOf(url) === 'sqlite') {
    const file = url.slice('file:'.length);
    if (file !== ':memory:') checkSqliteWritable(file);
    return new PrismaBetterSqlite3({ url: file }, { timestampFormat: 'unixepoch-ms' });
  }
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  parsed.searchParams.delete('schema');
  // Unqualified names in the migration scripts land in the chosen schema.
  parsed.searchParams.set('options', `-c search_path="${schema}"`);
  // 20 connections, not pg's 10: long polling handles 96 updates at once on PostgreSQL (wiring/telegram.ts).
  return new PrismaPg({ connectionString: parsed.toString(), max: 20 }, { schema });
}

// Only the client for the database in use is loaded: each costs a few hundred ms at start.
async function createClient(url: string): Promise<Db> {
  const adapter = adapterFor(url);
  if (providerOf(url) === 'sqlite') return new (await import('./generated/sqlite/client.js')).PrismaClient({ adapter });
  return new (await import('./generated/postgresql/client.js')).PrismaClient({
    adapter: adapter as PrismaPg,
  }) as unknown as Db;
}

/** Committed migrations the database has not applied, read with the ordinary client (no engine, no lock). */
async function pendingMigrations(db: Db, migrationsDir: string): Promise<string[]> {
  const committed = readMigrationList(migrationsDir).migrationDirectories.map((d) => d.path);
  try {
    const applied = await db.$queryRawUnsafe<Array<{ migration_name: string }>>(
      'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const done = new Set(applied.map((r) => r.migration_name));
    return committed.filter((name) => !done.has(name));
  } catch {
    return committed; // a new database: no migrations table yet
  }
}

/**
 * Opens the database at `url`, applying any migration it has not seen yet. The schema engine runs
 * only when one is pending, so a second process (an operator's command next to the running bot)
 * does not wait on SQLite's write lock for nothing.
 */
export async function openDatabase(url: string, options: { migrate?: boolean } = {}): Promise<Database> {
  const provider = providerOf(url);
  const paths = prismaPaths(ROOT, provider);
  if (provider === 'postgresql' && options.migrate !== false) await ensureSchemaExists(url);
  let db = await createClient(url);
  if (options.migrate !== false && (await pendingMigrations(db, paths.migrations)).length) {
    await db.$disconnect();
    await applyMigrations(paths.schema, paths.migrations, adapterFor(url));
    db = await createClient(url);
  }
  if (provider === 'sqlite') {
    // Several writers (bot, webhooks, jobs) share one file: wait for the lock rather than fail.
    await db.$executeRawUnsafe('PRAGMA busy_timeout = 5000');
    await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  }
  return { db, provider, close: () => db.$disconnect() };
}

async function ensureSchemaExists(url: string): Promise<void> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  if (!schema || schema === 'public') return;
  parsed.searchParams.delete('schema');
  const pg = await import('pg');
  const client = new pg.default.Client({ connectionString: parsed.toString() });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}
