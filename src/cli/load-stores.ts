/** npm run stores:load -- [file.json|file.csv] [--dry-run]: validates the partner stores and replaces them. */
import { createStoreService, parseStoreFile, storeChanges, StoreFileError } from '../services/stores/stores.js';
import { loadFileCommand } from './load-file.js';

await loadFileCommand(
  {
    name: 'stores:load',
    script: 'load-stores.js',
    summary:
      'Loads the partner stores from a JSON or CSV file: stores in it are created or updated, stores missing ' +
      'from it are switched off. A file with problems is refused, each problem naming the row and the field.',
    more: [
      'CSV: a header row with id,name,city,lat,lng,address,timezone,carriers,sells,mon,tue,wed,thu,fri,sat,sun',
      '(phone optional), separated by commas, semicolons or tabs (Excel writes semicolons on Indonesian settings).',
      'carriers and sells list several values in one cell: axis;xl or "axis,xl". Hours: 09:00-21:00 or closed.',
      'Without a file, STORES_FILE (default data/stores.sample.json). The database is DATABASE_URL, as for the bot.',
    ],
  },
  {
    what: 'stores',
    defaultFile: process.env.STORES_FILE ?? 'data/stores.sample.json',
    parse: parseStoreFile,
    isValidationError: (error): error is StoreFileError => error instanceof StoreFileError,
    changes: storeChanges,
    askBeforeSwitchingOff: false,
    load: async (db, entries) => {
      const result = await createStoreService({ db }).load(entries);
      return `Loaded ${result.loaded} stores; ${result.deactivated} stores not in the file were switched off.`;
    },
  },
);
