import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { NO_FILTERS, openSchemaEngine } from './schema-engine.js';

export function readMigrationList(migrationsDir: string): MigrationList {
  const dirs = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

/** `prisma migrate deploy`, through the WebAssembly engine: applies what is not applied yet. */
export async function applyMigrations(
  schemaPath: string,
  migrationsDir: string,
  adapter: SqlMigrationAwareDriverAdapterFactory,
): Promise<string[]> {
  const { engine, close } = await openSchemaEngine(readFileSync(schemaPath, 'utf8'), adapter);
  try {
    const out = await engine.applyMigrations({ migrationsList: readMigrationList(migrationsDir), filters: NO_FILTERS });
    return out.appliedMigrationNames;
  } finally {
    await close();
  }
}

/**
 * Applies the committed migrations to the database the adapter reaches (a scratch one), then returns
 * the SQL still needed to reach the schema: empty when the migrations and the schema agree.
 */
export async function sqlMissingFromMigrations(
  schema: string,
  migrationsDir: string,
  adapter: SqlMigrationAwareDriverAdapterFactory,
): Promise<string> {
  const { engine, close } = await openSchemaEngine(schema, adapter);
  try {
    await engine.applyMigrations({ migrationsList: readMigrationList(migrationsDir), filters: NO_FILTERS });
    const files = [{ path: 'schema.prisma', content: schema }];
    const out = await engine.diff({
      from: { tag: 'schemaDatasource', files, configDir: '.' },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return meaningfulSql(out.stdout ?? '');
  } finally {
    await close();
  }
}

/** The SQL from one datamodel to another, with no database (used for PostgreSQL, whose adapter cannot introspect yet). */
export async function diffSchemas(
  from: string | null,
  to: string,
  adapter: SqlMigrationAwareDriverAdapterFactory,
): Promise<string> {
  const { engine, close } = await openSchemaEngine(to, adapter);
  try {
    const out = await engine.diff({
      from:
        from === null
          ? { tag: 'empty' }
          : { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: from }] },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: to }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return meaningfulSql(out.stdout ?? '');
  } finally {
    await close();
  }
}

function meaningfulSql(sql: string): string {
  return sql.includes('This is an empty migration') ? '' : sql.trim();
}
