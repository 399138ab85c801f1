import { existsSync } from 'node:fs';
import { openDatabase, type Db } from '../adapters/db/client.js';

/**
 * The shape of the operator's load commands: validate the file (a refused file names each problem
 * and exits 1), then replace what the database holds with it.
 */
export async function loadFileCommand<T>(options: {
  defaultFile: string;
  parse: (file: string) => T;
  isValidationError: (error: unknown) => error is Error;
  load: (db: Db, entries: T) => Promise<string>;
}): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const file = process.argv[2] ?? options.defaultFile;
  let entries: T;
  try {
    entries = options.parse(file);
  } catch (error) {
    if (!options.isValidationError(error)) throw error;
    console.error(`${file}: ${error.message}`);
    process.exit(1);
  }
  const database = await openDatabase(process.env.DATABASE_URL ?? 'file:./data/kuota.db');
  const summary = await options.load(database.db, entries);
  await database.close();
  console.log(`${summary} (${file})`);
}
