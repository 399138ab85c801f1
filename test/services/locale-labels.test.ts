import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES_DIR, supportedLanguages } from '../../src/bot/i18n.js';
import { BUTTON_KEYS } from '../helpers/buttons.js';

type Tree = { [key: string]: string | Tree };
const flatten = (tree: Tree, prefix = ''): Record<string, string> =>
  Object.fromEntries(
    Object.entries(tree).flatMap(([k, v]) =>
      typeof v === 'string' ? [[prefix + k, v]] : Object.entries(flatten(v, `${prefix}${k}.`)),
    ),
  );
const load = (lng: string) =>
  flatten(JSON.parse(readFileSync(path.join(LOCALES_DIR, lng, 'translation.json'), 'utf8')));

/** The quotation marks each language puts around a button's label (locales/GLOSSARY.md). */
const QUOTES: Record<string, [string, string]> = {
  en: ['“', '”'],
  'zh-CN': ['“', '”'],
  'zh-TW': ['「', '」'],
  id: ['“', '”'],
  ms: ['“', '”'],
  th: ['“', '”'],
  vi: ['“', '”'],
  ja: ['「', '」'],
  ko: ['‘', '’'],
  ru: ['«', '»'],
};

// These quote example names for a line, not buttons.
const QUOTING_EXAMPLES = new Set(['link.ask_label']);

/** A label as a traveller would name it: without its emoji, and without a value such as a price. */
const bare = (label: string) =>
  label
    .replace(/\{\{[^}]+\}\}/g, '')
    .replace(/[\p{Extended_Pictographic}\uFE0F«»✓➡]/gu, '')
    .trim();

/** Console buttons and menu pages the chat's operator alerts name. */
const CONSOLE_BUTTON_KEYS = ['orders.mark_refunded', 'nav.attention'];
function consoleString(language: string, key: string): string {
  const tree = JSON.parse(readFileSync(path.join(LOCALES_DIR, language, 'console.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], tree);
  return typeof value === 'string' ? value : '';
}

describe('texts that name a button', () => {
  it('covers every language Kuota speaks', () => {
    expect(Object.keys(QUOTES).sort()).toEqual(supportedLanguages());
  });

  it.each(supportedLanguages())('%s: every label a text quotes is a real button, word for word', (language) => {
    const strings = load(language);
    const [open, close] = QUOTES[language]!;
    const labels = new Set(
      Object.keys(BUTTON_KEYS)
        .filter((key) => !key.startsWith('help.'))
        .map((key) => bare(strings[key] ?? strings[`${key}_other`] ?? '')),
    );
    // An operator's alert may name the console's button or page it leads to.
    for (const key of CONSOLE_BUTTON_KEYS) labels.add(bare(consoleString(language, key)));
    const quoted = Object.entries(strings)
      .filter(([key]) => !QUOTING_EXAMPLES.has(key) && !key.startsWith('intents.'))
      .flatMap(([key, text]) =>
        [...text.matchAll(new RegExp(`${open}([^${close}]+)${close}`, 'g'))].map((m) => ({ key, label: m[1]! })),
      )
      // A quoted value ("the bank's reason: “{{reason}}”") is a quotation, not a button.
      .filter((q) => !/^\{\{\w+\}\}$/.test(q.label));
    // The help texts walk the traveller through the menus, so they name buttons in every language.
    expect(quoted.filter((q) => q.key.startsWith('help.')).length, language).toBeGreaterThanOrEqual(8);
    expect(quoted.filter((q) => !labels.has(q.label)).map((q) => `${q.key}: ${open}${q.label}${close}`)).toEqual([]);
  });

  it.each(supportedLanguages())('%s: the help about a feature names the buttons that open it', (language) => {
    const strings = load(language);
    const [open, close] = QUOTES[language]!;
    const mentions = (key: string, button: string) =>
      strings[key]!.includes(`${open}${bare(strings[button]!)}${close}`);
    expect(mentions('help.topics.auto_renew.text', 'menu.numbers'), 'My numbers').toBe(true);
    expect(mentions('help.topics.auto_renew.text', 'autorenew.button'), 'Auto-renew').toBe(true);
    expect(mentions('help.topics.auto_renew.text', 'autorenew.spending'), 'Spending').toBe(true);
    expect(mentions('help.topics.how.text', 'menu.renew'), 'Renew').toBe(true);
    expect(mentions('help.topics.plan.text', 'menu.settings'), 'Settings').toBe(true);
    expect(mentions('help.topics.store.text', 'menu.stores'), 'Stores').toBe(true);
  });
});
