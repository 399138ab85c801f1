import { InlineKeyboard } from 'grammy';
import type { TFunction } from 'i18next';
import { CB } from './callback-data.js';

export { CB } from './callback-data.js';

/**
 * `t` for text Telegram shows as typed, not as HTML: button labels and callback answers.
 * i18next escapes values for message bodies; here a line named "Mom & Dad <3" must stay as it is.
 */
export function plain(t: TFunction) {
  return (key: string, values: Record<string, unknown> = {}): string =>
    t(key, { ...values, interpolation: { escapeValue: false } });
}

type MenuItem = Parameters<typeof CB.menu>[0];
const MAIN_MENU: Array<Array<[label: string, item: MenuItem]>> = [
  [['menu.esim', 'esim']],
  [
    ['menu.renew', 'renew'],
    ['menu.numbers', 'numbers'],
  ],
  [
    ['menu.history', 'history'],
    ['menu.help', 'help'],
  ],
  [
    ['menu.link', 'link'],
    ['menu.stores', 'stores'],
  ],
  [
    ['menu.notices', 'notices'],
    ['menu.settings', 'settings'],
  ],
  [['menu.language', 'lang']],
];
// Nearly every reply carries the main menu: its labels are translated once per language, not per reply.
const menuLabels = new Map<string, string[][]>();

export function mainMenu(t: TFunction): InlineKeyboard {
  const fixed = t as TFunction & { lng?: string; keyPrefix?: string };
  const language = fixed.lng === undefined || fixed.keyPrefix !== undefined ? undefined : fixed.lng;
  let labels = language === undefined ? undefined : menuLabels.get(language);
  if (!labels) {
    labels = MAIN_MENU.map((row) => row.map(([key]) => t(key)));
    if (language !== undefined) menuLabels.set(language, labels);
  }
  const known = labels;
  // A new keyboard each time: callers add rows to it.
  return InlineKeyboard.from(
    MAIN_MENU.map((row, r) => row.map(([, item], i) => InlineKeyboard.text(known[r]![i]!, CB.menu(item)))),
  );
}

export function backToMenu(t: TFunction): InlineKeyboard {
  return new InlineKeyboard().text(t('common.main_menu'), CB.menu('home'));
}
