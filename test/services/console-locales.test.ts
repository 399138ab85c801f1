import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES_DIR, supportedLanguages } from '../../src/bot/i18n.js';

type Tree = { [key: string]: string | Tree };
const flatten = (tree: Tree, prefix = ''): Record<string, string> =>
  Object.fromEntries(
    Object.entries(tree).flatMap(([k, v]) =>
      typeof v === 'string' ? [[prefix + k, v]] : Object.entries(flatten(v, `${prefix}${k}.`)),
    ),
  );
const load = (lng: string) => flatten(JSON.parse(readFileSync(path.join(LOCALES_DIR, lng, 'console.json'), 'utf8')));
const variables = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

describe('the console speaks every language the bot does', () => {
  const english = load('en');
  it.each(supportedLanguages())('%s: every console label, with the same variables', (language) => {
    const strings = load(language);
    const missing = Object.keys(english).filter((key) => !(key in strings));
    expect(missing, `${language} lacks these console labels`).toEqual([]);
    const wrong = Object.keys(english).filter(
      (key) => JSON.stringify(variables(strings[key]!)) !== JSON.stringify(variables(english[key]!)),
    );
    expect(wrong, `${language} changes the variables of`).toEqual([]);
  });
});
