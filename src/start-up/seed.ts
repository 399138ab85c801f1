import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { readCatalogFile } from '../services/catalog/catalog.js';
import { parseStoreFile } from '../services/stores/stores.js';

/**
 * A start-up step of its own: an empty database gets the catalog and the partner stores from their
 * files (the samples by default; the settings refuse those with live Stripe keys). A database that
 * has any keeps them: the operator commands change them.
 */
export async function seedEmptyDatabase(
  config: Pick<Config, 'CATALOG_FILE' | 'STORES_FILE'>,
  services: {
    catalog: {
      isEmpty(): Promise<boolean>;
      load(plans: ReturnType<typeof readCatalogFile>): Promise<{ upserted: number }>;
    };
    stores: {
      isEmpty(): Promise<boolean>;
      load(stores: ReturnType<typeof parseStoreFile>): Promise<{ loaded: number }>;
    };
  },
  logger: Logger,
): Promise<void> {
  if (await services.catalog.isEmpty()) {
    const loaded = await services.catalog.load(readCatalogFile(config.CATALOG_FILE));
    logger.info({ plans: loaded.upserted, file: config.CATALOG_FILE }, 'catalog loaded (empty database)');
  }
  if (await services.stores.isEmpty()) {
    const loaded = await services.stores.load(parseStoreFile(config.STORES_FILE));
    logger.info({ stores: loaded.loaded, file: config.STORES_FILE }, 'partner stores loaded (empty database)');
  }
}
