/** npm run catalog:load -- [file]: validates the catalog file and replaces the plans with it. */
import { existsSync } from 'node:fs';
import { openDatabase } from '../adapters/db/client.js';
import { CatalogError, createCatalogService, readCatalogFile } from '../services/catalog.js';

if (existsSync('.env')) process.loadEnvFile('.env');
const file = process.argv[2] ?? process.env.CATALOG_FILE ?? 'data/catalog.sample.json';
let entries;
try {
  entries = readCatalogFile(file);
} catch (error) {
  if (error instanceof CatalogError) {
    console.error(`${file}: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
const database = await openDatabase(process.env.DATABASE_URL ?? 'file:./data/kuota.db');
const result = await createCatalogService({ db: database.db }).load(entries);
await database.close();
console.log(`Loaded ${result.upserted} plans from ${file}; ${result.deactivated} plans not in the file were switched off.`);
