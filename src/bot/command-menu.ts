import type { Api } from 'grammy';
import type { LanguageCode } from 'grammy/types';
import type { i18n, TFunction } from 'i18next';
import type { Logger } from '../logger.js';
import { DEFAULT_LANGUAGE, supportedLanguages } from './i18n.js';

/** The commands a traveller sees in Telegram's menu, in the order shown; each described in `commands.<name>`. */
export const MENU_COMMANDS = [
  'start',
  'renew',
  'numbers',
  'history',
  'stores',
  'settings',
  'language',
  'help',
  'cancel',
] as const;

/**
 * Telegram keys a menu by a two-letter ISO 639-1 code, so Kuota's languages that share one
 * (zh-CN and zh-TW) cannot both have a menu by language: the first one wins the code and the
 * other is set per chat when a traveller picks it.
 */
export function telegramLanguageCode(language: string, languages: string[]): LanguageCode | null {
  const code = language.split('-')[0]!.toLowerCase();
  return languages.find((l) => l.split('-')[0]!.toLowerCase() === code) === language ? (code as LanguageCode) : null;
}

export function commandsIn(i18n: i18n, language: string) {
  return commandsSaying(i18n.getFixedT(language));
}

function commandsSaying(t: TFunction) {
  return MENU_COMMANDS.map((command) => ({ command, description: t(`commands.${command}`) }));
}

/** At start: the default menu (English) and one per language Telegram can key by its code. */
export async function setCommandMenus(
  api: Api,
  i18n: i18n,
  logger: Logger,
  languages = supportedLanguages(),
): Promise<void> {
  // Simplified Chinese has far more travellers here, so it is the one Telegram's "zh" gets.
  const ordered = ['zh-CN', ...languages.filter((l) => l !== 'zh-CN')].filter((l) => languages.includes(l));
  await Promise.all([
    api.setMyCommands(commandsIn(i18n, DEFAULT_LANGUAGE)),
    ...ordered.flatMap((language) => {
      const code = telegramLanguageCode(language, ordered);
      return code ? [api.setMyCommands(commandsIn(i18n, language), { language_code: code })] : [];
    }),
  ]).catch((err) => logger.warn({ err }, 'setMyCommands failed'));
}

/** When a traveller picks a language: their chat's menu follows it, which is the only way zh-TW gets its own. */
export async function setChatCommandMenu(
  api: Api,
  i18n: i18n,
  chatId: number,
  language: string,
  logger: Logger,
): Promise<void> {
  await chatMenu(api, commandsIn(i18n, language), chatId, language, logger);
}

/**
 * At /start, for a traveller whose language Telegram cannot key by code (zh-TW, from a client in
 * Traditional Chinese): the chat gets its own menu, as it would after picking the language.
 */
export async function setStartCommandMenu(
  api: Api,
  locale: { t: TFunction; language: string },
  chatId: number,
  logger: Logger,
): Promise<void> {
  if (telegramLanguageCode(locale.language, ['zh-CN', ...supportedLanguages()])) return;
  await chatMenu(api, commandsSaying(locale.t), chatId, locale.language, logger);
}

function chatMenu(
  api: Api,
  commands: Array<{ command: string; description: string }>,
  chatId: number,
  language: string,
  logger: Logger,
) {
  return api.setMyCommands(commands, { scope: { type: 'chat', chat_id: chatId } }).then(
    () => undefined,
    (err) => logger.warn({ err, language }, 'setMyCommands for a chat failed'),
  );
}
