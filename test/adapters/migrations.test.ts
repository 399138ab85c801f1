import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adapterFor } from '../../src/adapters/db/client.js';
import { sqlMissingFromMigrations } from '../../src/adapters/db/migrations.js';
import { derivePostgresSchema } from '../../src/adapters/db/provider.js';
import { createTestDatabase, databaseKinds } from '../helpers/database.js';

const temp = mkdtempSync(path.join(tmpdir(), 'kuota-drift-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('schema and migrations', () => {
  it('the committed SQLite migrations produce exactly the schema', async () => {
    const schema = readFileSync('prisma/schema.prisma', 'utf8');
    const missing = await sqlMissingFromMigrations(
      schema,
      'prisma/migrations',
      adapterFor(`file:${path.join(temp, 'drift.db')}`),
    );
    expect(missing, 'run `npm run db:migrate -- <name>` and commit the migration').toBe('');
  });

  it('detects a schema change that has no migration', async () => {
    const schema = readFileSync('prisma/schema.prisma', 'utf8').replace(
      'model Session {',
      'model Session {\n  extra String?',
    );
    const missing = await sqlMissingFromMigrations(
      schema,
      'prisma/migrations',
      adapterFor(`file:${path.join(temp, 'drift2.db')}`),
    );
    expect(missing).toContain('"extra" TEXT');
  });

  it('the PostgreSQL schema and its last migration come from the same source', () => {
    const derived = derivePostgresSchema(readFileSync('prisma/schema.prisma', 'utf8'));
    expect(readFileSync('prisma/postgresql/schema.prisma', 'utf8')).toBe(derived);
    expect(
      readFileSync('prisma/postgresql/migrations/schema.migrated.prisma', 'utf8'),
      'run `npm run db:migrate -- <name>`',
    ).toBe(derived);
  });

  it.each(databaseKinds)('migrations apply on %s and a second start applies nothing', async (kind) => {
    const db = await createTestDatabase(kind, { fresh: true });
    try {
      const tables =
        kind === 'sqlite'
          ? await db.db.$queryRawUnsafe<Array<{ name: string }>>("SELECT name FROM sqlite_master WHERE type='table'")
          : await db.db.$queryRawUnsafe<Array<{ name: string }>>(
              'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()',
            );
      expect(tables.map((t) => t.name)).toEqual(
        expect.arrayContaining([
          'User',
          'Line',
          'Plan',
          'Order',
          'OutboxMessage',
          'ProcessedEvent',
          '_prisma_migrations',
        ]),
      );
      const { applyMigrations } = await import('../../src/adapters/db/migrations.js');
      await db.close(); // SQLite: one writer at a time, as on a restart
      const dir = kind === 'sqlite' ? 'prisma' : 'prisma/postgresql';
      expect(await applyMigrations(`${dir}/schema.prisma`, `${dir}/migrations`, adapterFor(db.url))).toEqual([]);
    } finally {
      await db.drop();
    }
  });
});
