import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateTemplates, postgresUrl, type Templates } from '../helpers/database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where this run keeps its migrated databases that each test database is copied from. */
    databaseTemplates: Templates;
  }
}

/**
 * The run's template databases, migrated once before any test starts (test/helpers/database.ts
 * copies them): migrating takes seconds on a loaded machine, copying a migrated one a tenth of that.
 * Nothing is kept between runs, so a fresh clone behaves as any other run.
 */
export default async function setup(project: TestProject) {
  const templates: Templates = {
    dir: mkdtempSync(path.join(tmpdir(), 'kuota-templates-')),
    postgresSchema: `tpl_${randomBytes(6).toString('hex')}`,
  };
  const teardown = async () => {
    rmSync(templates.dir, { recursive: true, force: true });
    if (!postgresUrl) return;
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${templates.postgresSchema}" CASCADE`);
    } finally {
      await client.end();
    }
  };
  try {
    await migrateTemplates(templates);
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide('databaseTemplates', templates);
  return teardown;
}
