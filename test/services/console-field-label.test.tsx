import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { languageNameIn } from '../../src/domain/language-names.js';
import { FieldLabel } from '../../src/http/console/field-label.js';
import { createConsoleI18n, consoleLocale } from '../../src/http/console/i18n.js';
import { h } from '../../src/http/console/jsx.js';
import type { PageContext } from '../../src/http/console/layout.js';
import { recordValueText } from '../../src/http/console/record-values.js';

const CONSOLE_DIR = path.resolve('src/http/console');

describe('a console label and its value are joined as the language writes a field', () => {
  it('ja: 「粗利：…」 and 「英語：…」 with a full-width colon and no space; en: "Margin: …"', async () => {
    const i18n = await createConsoleI18n();
    const ctx = (language: string): PageContext => ({
      locale: consoleLocale(i18n, language, 'UTC'),
      csrf: 'x',
      operatorId: 1,
      role: 'owner',
    });
    const ja = ctx('ja');
    const margin = ja.locale.t('catalog.margin');
    expect(
      String(
        <FieldLabel ctx={ja} label={margin}>
          <b>¥100</b>
        </FieldLabel>,
      ),
    ).toBe(`${margin}：<b>¥100</b>`);
    expect(recordValueText(ja, 'names', { en: 'AXIS Weekly' })).toBe(`${languageNameIn('en', 'ja')}：AXIS Weekly`);

    const en = ctx('en');
    expect(
      String(
        <FieldLabel ctx={en} label="Margin">
          <b>x</b>
        </FieldLabel>,
      ),
    ).toBe('Margin: <b>x</b>');
    expect(recordValueText(en, 'names', { id: 'AXIS Mingguan' })).toBe('Indonesian: AXIS Mingguan');
  });

  it('no view glues an ASCII ": " to a translated label', () => {
    // `{t('x')}: …`, `{t('x')}:{' '}` and `${t('x')}: ` put an English separator into every language.
    const glued = /\{t\([^{}]*\)\}:|\$\{t\([^{}]*\)\}:|\$\{props\.label\}:/;
    const offences = readdirSync(CONSOLE_DIR)
      .filter((f) => /\.tsx?$/.test(f))
      .flatMap((f) =>
        readFileSync(path.join(CONSOLE_DIR, f), 'utf8')
          .split('\n')
          .filter((line) => glued.test(line))
          .map((line) => `${f}: ${line.trim()}`),
      );
    expect(offences).toEqual([]);
  });
});
