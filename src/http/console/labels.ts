import type { TFunction } from 'i18next';

/**
 * A code the data holds (a message kind, a delivery state, an audit action) as the operator's phrase.
 * A code with no phrase yet reads as "other", never as the code itself.
 */
export function phrase(t: TFunction, group: string, code: unknown): string {
  const text = t(`${group}.${String(code)}`, { defaultValue: '' });
  return typeof text === 'string' && text ? text : t('common.other');
}

/** A carrier's name (as the chat writes it) from its code, one of CARRIERS. */
export const carrierName = (t: TFunction, code: string): string => phrase(t, 'carrier', code);

/** The names of the carriers a store or plan serves, as a list in the operator's language. */
export function carrierList(ctx: { locale: { t: TFunction; language: string } }, codes: string[]): string {
  return new Intl.ListFormat(ctx.locale.language, { type: 'unit' }).format(
    codes.map((c) => carrierName(ctx.locale.t, c)),
  );
}
