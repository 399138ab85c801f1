/** npm run stores:load -- [file.json|file.csv]: validates the partner stores and replaces them. */
import { existsSync } from 'node:fs';
import { openDatabase } from '../adapters/db/client.js';
import { createStoreService, parseStoreFile, StoreFileError } from '../services/stores.js';

if (existsSync('.env')) process.loadEnvFile('.env');
const file = process.argv[2] ?? process.env.STORES_FILE ?? 'data/stores.sample.json';
let entries;
try {
  entries = parseStoreFile(file);
} catch (error) {
  if (error instanceof StoreFileError) {
    console.error(`${file}: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
const database = await openDatabase(process.env.DATABASE_URL ?? 'file:./data/kuota.db');
const result = await createStoreService({ db: database.db }).load(entries);
await database.close();
console.log(`Loaded ${result.loaded} stores from ${file}; ${result.deactivated} stores not in the file were switched off.`);
