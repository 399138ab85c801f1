import { createI18n } from '../../src/bot/i18n.js';

const i18n = await createI18n();

/**
 * The text a locale key renders to, through the same i18next setup the bot uses, over the real locales: a test
 * that expects `t('stores.ask')` instead of the English sentence survives a rewording.
 */
export function t(key: string, values: Record<string, unknown> = {}, language = 'en'): string {
  return i18n.getFixedT(language)(key, values);
}
