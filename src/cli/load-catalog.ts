/** npm run catalog:load -- [file]: validates the catalog file and replaces the plans with it. */
import { CatalogError, createCatalogService, readCatalogFile } from '../services/catalog.js';
import { loadFileCommand } from './load-file.js';

await loadFileCommand({
  defaultFile: process.env.CATALOG_FILE ?? 'data/catalog.sample.json',
  parse: readCatalogFile,
  isValidationError: (error): error is CatalogError => error instanceof CatalogError,
  load: async (db, entries) => {
    const result = await createCatalogService({ db }).load(entries);
    return `Loaded ${result.upserted} plans; ${result.deactivated} plans not in the file were switched off.`;
  },
});
