/** npm run catalog:load -- [file] [--dry-run] [--yes]: validates the catalog file and replaces the plans with it. */
import { CatalogError, catalogChanges, createCatalogService, readCatalogFile } from '../services/catalog/catalog.js';
import { loadFileCommand } from './load-file.js';

await loadFileCommand(
  {
    name: 'catalog:load',
    script: 'load-catalog.js',
    summary:
      'Loads a catalog file (JSON): plans in it are created or updated, plans missing from it are switched off ' +
      '(never deleted). A file with problems is refused, each problem naming the plan and the field.',
    more: [
      'Without a file, CATALOG_FILE (default data/catalog.sample.json). The database is DATABASE_URL, as for the bot.',
      'Without --yes, switching plans off is asked first on a terminal, and refused without one.',
    ],
  },
  {
    what: 'plans',
    defaultFile: process.env.CATALOG_FILE ?? 'data/catalog.sample.json',
    parse: readCatalogFile,
    isValidationError: (error): error is CatalogError => error instanceof CatalogError,
    changes: catalogChanges,
    askBeforeSwitchingOff: true,
    load: async (db, entries) => {
      const result = await createCatalogService({ db }).load(entries);
      return `Loaded ${result.upserted} plans; ${result.deactivated} plans not in the file were switched off.`;
    },
  },
);
