import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ORDER_STATES } from '../../src/domain/order-state.js';
import { createConsoleI18n, consoleLocale } from '../../src/http/console/i18n.js';
import { h, trustedHtml } from '../../src/http/console/jsx.js';
import { page } from '../../src/http/console/layout.js';

const HTTP_DIR = path.resolve('src/http');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(path.join(dir, d.name)) : [path.join(dir, d.name)],
  );

describe('the console writes HTML only through its JSX runtime', () => {
  it('has no raw-HTML path in src/http but the one named function', () => {
    const offences: string[] = [];
    for (const file of files(HTTP_DIR)) {
      const text = readFileSync(file, 'utf8');
      const name = path.relative(process.cwd(), file);
      // The runtime itself: it is where tags are joined, and it alone imports @kitajs/html.
      if (name === path.join('src', 'http', 'console', 'jsx.ts')) continue;
      const rules: Array<[RegExp, string]> = [
        [/dangerouslySetInnerHTML/, 'dangerouslySetInnerHTML'],
        [/<[a-z][\w-]*[^>]*\s(safe|attrs)[\s=/>]/, 'the safe or attrs attribute of @kitajs/html'],
        [/\bhtml`/, 'an html`` tagged template'],
        [/@kitajs\/html/, 'a direct use of @kitajs/html'],
        [/trustedHtml\(/, 'trustedHtml (no page needs raw HTML today)'],
      ];
      for (const [pattern, what] of rules) if (pattern.test(text)) offences.push(`${name}: ${what}`);
      // Every string and template literal, read by TypeScript's own scanner: none may hold a tag.
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node) => {
        if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) {
          if (/<\/?[a-zA-Z][\w-]*[\s>/]/.test(node.text)) offences.push(`${name}: HTML in "${node.text}"`);
        }
        node.forEachChild(visit);
      };
      visit(source);
    }
    expect(offences).toEqual([]);
  });

  it('escapes every value put into a page, in text and in attributes', async () => {
    const i18n = await createConsoleI18n();
    const locale = consoleLocale(i18n, 'en', 'UTC');
    const hostile = `<script>alert(1)</script>" onmouseover="x`;
    const html = page(
      { locale, csrf: hostile, operatorId: 1, role: 'owner' as const },
      null,
      hostile,
      <p title={hostile}>{hostile}</p>,
    );
    // In text every < is escaped; in a quoted attribute the quote is, so nothing can leave it.
    expect(html.replace(/"[^"]*"/g, '""')).not.toContain('<script>alert');
    expect(html).not.toContain('" onmouseover="x');
    expect(html).toContain('&lt;script>alert(1)&lt;/script>&#34; onmouseover=&#34;x');
    expect(String(<p>{trustedHtml('<b>made by the console</b>')}</p>)).toBe('<p><b>made by the console</b></p>');
    expect(() => h('p', { safe: true }, 'x')).toThrow(/not allowed/);
    expect(() => h('p', { style: 'color:red' }, 'x')).toThrow(/not allowed/);
  });

  it('gives each order state its own colour in the chart', () => {
    const script = readFileSync('public/console/console.js', 'utf8');
    const palette = /STATE_COLOURS = (\{[^}]*\})/.exec(script)![1]!;
    const colours = Object.fromEntries([...palette.matchAll(/(\w+): '(#[0-9a-f]{6})'/g)].map((m) => [m[1], m[2]]));
    expect(Object.keys(colours).sort()).toEqual([...ORDER_STATES].sort());
    expect(new Set(Object.values(colours)).size).toBe(ORDER_STATES.length);
  });
});
