/** npm run stores:load -- [file.json|file.csv]: validates the partner stores and replaces them. */
import { createStoreService, parseStoreFile, StoreFileError } from '../services/stores.js';
import { loadFileCommand } from './load-file.js';

await loadFileCommand({
  defaultFile: process.env.STORES_FILE ?? 'data/stores.sample.json',
  parse: parseStoreFile,
  isValidationError: (error): error is StoreFileError => error instanceof StoreFileError,
  load: async (db, entries) => {
    const result = await createStoreService({ db }).load(entries);
    return `Loaded ${result.loaded} stores; ${result.deactivated} stores not in the file were switched off.`;
  },
});
