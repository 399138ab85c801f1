/**
 * Finds English copy written out in the e2e tests: string, template and regex literals whose text is a sentence of
 * an English locale value (`whole`), or holds such a sentence together with a variable's value (`spanning`, like
 * '6 h before expiry' for '{{count}} h before expiry'). A test that repeats the copy breaks on every rewording; it
 * should compute the text with test/helpers/copy.ts (`words(key, i)`, `rendered(key, values)`) instead.
 *
 * `npx tsx scripts/english-literals.ts` lists what it finds; test/copy/english-literals.test.ts keeps it at zero.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Literals that read like a locale value but are not the bot's copy: what a user types, or what the app logs. Each
 * names its reason; anything else a test matches must come from the locale files.
 */
export const NOT_COPY: ReadonlyArray<{ text: string; why: string }> = [
  {
    text: '/notice status',
    why: 'input: the operator types this command; the notice texts that name it are copy, the command is not',
  },
  {
    text: 'order refunded',
    why: "a pino log line's msg (production.test.ts follows a refund in the logs), not a text shown to anyone",
  },
];

export interface Finding {
  file: string;
  line: number;
  literal: string;
  kind: 'whole' | 'spanning';
  keys: string[];
}

type Tree = { [key: string]: string | Tree };
const flatten = (tree: Tree, prefix = ''): Array<[string, string]> =>
  Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [[prefix + k, v] as [string, string]] : flatten(v, `${prefix}${k}.`),
  );

const normal = (text: string) => text.replace(/\s+/g, ' ').trim();
const wordCount = (text: string) => text.split(' ').filter((w) => /\p{L}/u.test(w)).length;
/** Two words or more with at least eight letters: a phrase, not a label like "OK" or a single name. */
const isPhrase = (text: string) => wordCount(text) >= 2 && (text.match(/\p{L}/gu)?.length ?? 0) >= 8;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Every way a literal can start inside a segment (a suffix from a word's start) or end inside one (a prefix up to a
 * word's end), whatever punctuation surrounds the word.
 */
const suffixes = (segment: string) =>
  `(${[...segment.matchAll(/(?:^|(?<=[\s\p{P}]))\S/gu)].map((m) => escape(segment.slice(m.index))).join('|')}|)`;
const prefixes = (segment: string) =>
  `(${[...segment.matchAll(/\S(?=[\s\p{P}]|$)/gu)].map((m) => escape(segment.slice(0, m.index + 1))).join('|')}|)`;

/** One line of an English value: its fixed wording between variables and nested keys, with its tags removed. */
interface Line {
  key: string;
  segments: string[];
  /** For each run of segments i..j (i < j): a regex that matches text crossing a variable there. */
  windows: RegExp[];
}

function linesOf(key: string, value: string): Line[] {
  return value.split('\n').map((line) => {
    const segments = line
      .replace(/<[^>]+>/g, '')
      .split(/\{\{[^}]+\}\}|\$t\([^)]*\)/)
      .map((segment) => segment.replace(/\s+/g, ' '));
    const windows: RegExp[] = [];
    for (let i = 0; i < segments.length; i++) {
      for (let j = i + 1; j < segments.length; j++) {
        const middle = segments.slice(i + 1, j).map((segment) => `(${escape(segment)})`);
        const source = [suffixes(segments[i]!), ...middle, prefixes(segments[j]!)].join('.+?');
        windows.push(new RegExp(`^${source}$`));
      }
    }
    return { key, segments: segments.map(normal).filter((segment) => segment.length > 0), windows };
  });
}

function localeLines(): Line[] {
  const dir = path.join(ROOT, 'locales', 'en');
  return ['translation', 'console'].flatMap((file) =>
    flatten(JSON.parse(readFileSync(path.join(dir, `${file}.json`), 'utf8')) as Tree).flatMap(([key, value]) =>
      linesOf(file === 'console' ? `console:${key}` : key, value),
    ),
  );
}

/** The line's wording a literal repeats while it crosses a variable, if that is a phrase. */
const spans = (literal: string, line: Line) =>
  line.windows.some((window) => {
    const match = window.exec(literal);
    return match !== null && isPhrase(match.slice(1).join(' ').replace(/\s+/g, ' '));
  });

/** A regex literal's wording: its escapes undone, split where it matches anything but fixed text. */
function regexWords(source: string): string[] {
  return source
    .replace(/\\([.()?*+[\]{}|/$^-])/g, '$1')
    .split(/\[[^\]]*\][*+?]?|\\[sSdDwWb][*+?]?|\.[*+?]\??|\(\?:|[()|^$]/)
    .map(normal);
}

/** A test's or suite's title describes the behaviour to a reader; the test does not match it against anything. */
function isTestTitle(node: ts.Node): boolean {
  const call = node.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[0] !== node) return false;
  const callee = ts.isPropertyAccessExpression(call.expression)
    ? call.expression.expression
    : ts.isCallExpression(call.expression) && ts.isPropertyAccessExpression(call.expression.expression)
      ? call.expression.expression.expression
      : call.expression;
  return ts.isIdentifier(callee) && ['it', 'test', 'describe'].includes(callee.text);
}

function literalsOf(file: string): Array<{ line: number; texts: string[] }> {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Array<{ line: number; texts: string[] }> = [];
  const at = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const visit = (node: ts.Node) => {
    if (isTestTitle(node)) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      found.push({ line: at(node), texts: node.text.split('\n').map(normal) });
    } else if (ts.isTemplateExpression(node)) {
      const parts = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)];
      found.push({ line: at(node), texts: parts.flatMap((part) => part.split('\n')).map(normal) });
    } else if (ts.isRegularExpressionLiteral(node)) {
      found.push({ line: at(node), texts: regexWords(node.text.slice(1, node.text.lastIndexOf('/'))) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Every English sentence of a locale value that a file under `dir` (test/e2e by default) writes out. */
export function findEnglishLiterals(dir = path.join(ROOT, 'test', 'e2e')): Finding[] {
  const lines = localeLines();
  const notCopy = new Set(NOT_COPY.map((entry) => entry.text));
  const findings: Finding[] = [];
  for (const file of testFiles(dir)) {
    for (const { line, texts } of literalsOf(file)) {
      for (const literal of texts) {
        if (!isPhrase(literal) || notCopy.has(literal)) continue;
        const keysOf = (test: (line: Line) => boolean) => [...new Set(lines.filter(test).map((line) => line.key))];
        const whole = keysOf((line) => line.segments.some((segment) => segment.includes(literal)));
        const spanning = whole.length ? [] : keysOf((line) => spans(literal, line));
        const keys = whole.length ? whole : spanning;
        if (keys.length === 0) continue;
        findings.push({
          file: path.relative(ROOT, file),
          line,
          literal,
          kind: whole.length ? 'whole' : 'spanning',
          keys,
        });
      }
    }
  }
  return findings;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const findings = findEnglishLiterals(process.argv[2]);
  for (const f of findings) {
    console.log(`${f.file}:${f.line} ${f.kind} ${JSON.stringify(f.literal)} ← ${f.keys.slice(0, 3).join(', ')}`);
  }
  console.log(
    `${findings.filter((f) => f.kind === 'whole').length} whole, ${findings.filter((f) => f.kind === 'spanning').length} spanning`,
  );
}
