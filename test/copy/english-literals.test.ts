import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findEnglishLiterals } from '../../scripts/english-literals.js';

describe('English copy in the e2e tests', () => {
  it('no e2e test repeats a sentence of an English locale value: each computes it from the key', () => {
    const found = findEnglishLiterals().map((f) => `${f.file}:${f.line} ${f.kind} "${f.literal}" (${f.keys[0]})`);
    expect(found).toEqual([]);
  });

  it('finds a whole sentence, one that crosses a variable, and one in a regex; not a title, a command or a name', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'english-literals-'));
    writeFileSync(
      path.join(dir, 'sample.test.ts'),
      [
        "it('taps Yes, unlink and sees the menu', async () => {",
        "  await t.tap('Yes, unlink');",
        "  await t.tap('6 h before expiry');",
        '  expect(text).toMatch(/Please wait (59|60) seconds, then send the number again/);',
        "  await op.send('/notice status');",
        "  await t.tap('AXIS Weekly 10 GB');",
        '});',
      ].join('\n'),
    );
    expect(findEnglishLiterals(dir).map((f) => [f.line, f.kind, f.literal])).toEqual([
      [2, 'whole', 'Yes, unlink'],
      [3, 'spanning', '6 h before expiry'],
      [4, 'whole', 'Please wait'],
      [4, 'whole', 'seconds, then send the number again'],
    ]);
  });
});
