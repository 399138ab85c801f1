import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where this run keeps its migrated databases that each test database is copied from. */
    databaseTemplates: { dir: string; postgresSchema: string };
  }
}

/**
 * One run's home for its template databases, made on first use by whichever test needs one
 * (test/helpers/database.ts): migrating takes seconds on a loaded machine, copying a migrated one
 * a tenth of that. Nothing is kept between runs, so a fresh clone behaves as any other run.
 */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kuota-templates-'));
  const postgresSchema = `tpl_${randomBytes(6).toString('hex')}`;
  project.provide('databaseTemplates', { dir, postgresSchema });
  return async () => {
    rmSync(dir, { recursive: true, force: true });
    const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
    if (!url) return;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${postgresSchema}" CASCADE`);
    } finally {
      await client.end();
    }
  };
}
