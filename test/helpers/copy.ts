import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TOptions } from 'i18next';
import { createI18n, LOCALES_DIR } from '../../src/bot/i18n.js';

type Tree = { [key: string]: string | Tree };
const flatten = (tree: Tree, prefix = ''): Record<string, string> =>
  Object.fromEntries(
    Object.entries(tree).flatMap(([k, v]) =>
      typeof v === 'string' ? [[prefix + k, v]] : Object.entries(flatten(v, `${prefix}${k}.`)),
    ),
  );

const localeFile = (language: string, name: string) =>
  flatten(JSON.parse(readFileSync(path.join(LOCALES_DIR, language, `${name}.json`), 'utf8')) as Tree);
const englishFile = (name: string) => localeFile('en', name);

/** A chat text of any language by its flat key, as written (variables unfilled). */
export function chatText(language: string, key: string): string {
  const text = localeFile(language, 'translation')[key];
  if (text === undefined) throw new Error(`no ${language} text for ${key}`);
  return text;
}

/** Every English chat text by its flat key, as written (variables unfilled). */
export const english = englishFile('translation');

/** Every English console text by its flat key, as written (variables unfilled). */
export const englishConsole = englishFile('console');

/** The n-th piece of a text's fixed wording between its variables, for tests that look for a message. */
export function fragment(key: string, index = 0): string {
  const text = english[key];
  if (text === undefined) throw new Error(`no English text for ${key}`);
  return text.split(/\{\{\s*\w+\s*\}\}/)[index]!;
}

/** The first line of the receipt, which tells a traveller the plan was renewed. */
export const RECEIPT_HEADLINE = english['receipt.text']!.split('\n')[0]!;

const i18n = createI18n();
const ready = await i18n;
// The console's texts too, so `rendered('console:…')` reads them as the console does.
for (const language of readdirSync(LOCALES_DIR)) {
  const file = path.join(LOCALES_DIR, language, 'console.json');
  if (existsSync(file)) ready.addResourceBundle(language, 'console', JSON.parse(readFileSync(file, 'utf8')) as object);
}

/** A chat text as the bot renders it, so tests follow the copy instead of repeating it. */
export async function copy(key: string, values: TOptions = {}, language = 'en'): Promise<string> {
  return (await i18n).getFixedT(language)(key, values);
}

/**
 * The text a locale key renders to, through the same i18next setup the bot uses, over the real locales: a test
 * that expects `t('stores.ask')` instead of the English sentence survives a rewording.
 */
export function t(key: string, values: Record<string, unknown> = {}, language = 'en'): string {
  return ready.getFixedT(language)(key, values);
}

const fixedPieces = (text: string) => text.split(/\{\{[^}]+\}\}|<[^>]+>|\$t\([^)]*\)/);

/**
 * The index-th piece of an English text's fixed wording (between its variables, tags and nested keys), trimmed:
 * what a test looks for in a message or on a button instead of repeating the sentence. `console:` before the key
 * reads the console's texts.
 */
export function words(key: string, index = 0): string {
  const [file, flatKey] = key.startsWith('console:') ? [englishConsole, key.slice(8)] : [english, key];
  const text = file[flatKey];
  if (text === undefined) throw new Error(`no English text for ${key}`);
  const piece = fixedPieces(text)[index];
  if (piece === undefined) throw new Error(`${key} has no piece ${index}`);
  return piece.trim();
}

/** `t` under a name that test files, whose travellers are often called `t`, can import. */
export const rendered = t;

const CUT = '\u0001';
/** The variables an English text (or its plural forms) names, so a test can fill some and leave the rest out. */
function variablesOf(key: string): string[] {
  const [file, flatKey] = key.startsWith('console:') ? [englishConsole, key.slice(8)] : [english, key];
  const forms = Object.entries(file).filter(([k]) => k === flatKey || k.startsWith(`${flatKey}_`));
  if (!forms.length) throw new Error(`no English text for ${key}`);
  return [...new Set(forms.flatMap(([, text]) => [...text.matchAll(/\{\{\s*(\w+)[^}]*\}\}/g)].map((m) => m[1]!)))];
}

/**
 * The stretch of a rendered text that holds the given values, between the variables left out and line ends, with
 * tags removed: what a test looks for when it knows some of the values, like `phrase('autorenew.status', { cap })`
 * for "Monthly budget: IDR 150,000". Of several stretches, the one holding the most given values.
 */
export function phrase(key: string, values: Record<string, unknown>, language = 'en'): string {
  const unknown = Object.fromEntries(variablesOf(key).map((name) => [name, CUT]));
  const text = ready.getFixedT(language)(key, { ...unknown, ...values });
  const stretches = text
    .replace(/<[^>]+>/g, '')
    .split(new RegExp(`${CUT}|\\n`))
    .map((stretch) => stretch.trim())
    .filter((stretch) => stretch.length > 0);
  const given = Object.values(values).map(String);
  const holds = (stretch: string) => given.filter((value) => stretch.includes(value)).length;
  return stretches.reduce((best, stretch) => (holds(stretch) > holds(best) ? stretch : best));
}

/** A text as a regular expression that matches it literally, to combine pieces of copy in one pattern. */
export const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
