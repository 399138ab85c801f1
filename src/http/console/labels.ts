import type { TFunction } from 'i18next';

/**
 * A code the data holds (a message kind, a delivery state, an audit action) as the operator's phrase.
 * A code with no phrase yet reads as "other", never as the code itself.
 */
export function phrase(t: TFunction, group: string, code: unknown): string {
  const text = t(`${group}.${String(code)}`, { defaultValue: '' });
  return typeof text === 'string' && text ? text : t('common.other');
}
