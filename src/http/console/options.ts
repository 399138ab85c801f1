import type { i18n } from 'i18next';
import type { Logger } from '../../logger.js';
import type { ConsoleServices } from '../../services/console/index.js';
import type { EsimPartner } from '../../services/esim-partner/index.js';
import type { Geocoder } from '../../services/ports/geocoder.js';

// Its own file so that the plugin and its routes both read it without importing each other.
export type ConsolePluginOptions = {
  services: ConsoleServices;
  i18n: i18n;
  /** https: the session cookie is Secure. */
  publicUrl: string | undefined;
  languages: Record<string, string>;
  defaultLanguage: string;
  balanceAlertBelowMinor: number | undefined;
  logger: Logger;
  /** A partner store's deep link into the bot (t.me/<bot>?start=st_<id>). */
  storeLink(storeId: string): string;
  /** Something was queued for delivery (a notice, a receipt). */
  onQueued(): void;
  /** The eSIM partner (its balance, opt-ins, claim codes), when one is configured. */
  esim?: EsimPartner;
  /** A claim code's deep link into the bot (t.me/<bot>?start=c_<code>). */
  claimLink?(code: string): string;
  /** Finds a store's coordinates from its address (GEOCODER_URL); without one the store form has no search. */
  geocoder?: Geocoder;
};
