import { InlineKeyboard } from 'grammy';
import type { LineUsage } from '../../services/usage/usage.js';
import { CB } from '../callback-data.js';
import type { Locale } from '../format.js';
import { dataLeft } from '../usage/messages.js';

/**
 * The greeting when a new eSIM first connects: the data the partner reported then (Intl-formatted, as
 * My numbers shows it) and the way to My numbers, where the traveller checks and renews it.
 */
export function esimFirstUseMessage(
  l: Locale,
  plan: string,
  usage: Omit<LineUsage, 'status' | 'checkedAt'>,
): { text: string; keyboard: InlineKeyboard } {
  const { t } = l;
  const data = dataLeft(l, { ...usage, status: 'ACTIVE', checkedAt: new Date(0).toISOString() });
  const text = [t('esim.first_use', { plan }), data, t('esim.first_use_numbers')].filter(Boolean).join('\n\n');
  return { text, keyboard: new InlineKeyboard().text(t('menu.numbers'), CB.menu('numbers')) };
}
