import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from './generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from './generated/postgresql/client.js';
import { applyMigrations } from './migrations.js';
import { prismaPaths, providerOf, type DatabaseProvider } from './provider.js';

/** Both generated clients share one shape; the SQLite one names the type. */
export type Db = SqliteClient;
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export type Database = { db: Db; provider: DatabaseProvider; close(): Promise<void> };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function adapterFor(url: string) {
  if (providerOf(url) === 'sqlite') {
    const file = url.slice('file:'.length);
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    return new PrismaBetterSqlite3({ url: file }, { timestampFormat: 'unixepoch-ms' });
  }
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  parsed.searchParams.delete('schema');
  // Unqualified names in the migration scripts land in the chosen schema.
  parsed.searchParams.set('options', `-c search_path="${schema}"`);
  return new PrismaPg({ connectionString: parsed.toString() }, { schema });
}

/** Opens the database at `url`, applying any migration it has not seen yet. */
export async function openDatabase(url: string, options: { migrate?: boolean } = {}): Promise<Database> {
  const provider = providerOf(url);
  if (options.migrate !== false) {
    if (provider === 'postgresql') await ensureSchemaExists(url);
    const paths = prismaPaths(ROOT, provider);
    await applyMigrations(paths.schema, paths.migrations, adapterFor(url));
  }
  const adapter = adapterFor(url);
  const db = (provider === 'sqlite' ? new SqliteClient({ adapter }) : (new PostgresClient({ adapter: adapter as PrismaPg }) as unknown as Db));
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
