import { describe, expect, it } from 'vitest';
import { cleanText, cutGraphemes, cutUtf8, fieldText } from '../../src/domain/text.js';

const isWellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('text from chat', () => {
  it('cuts between characters as a person sees them: emoji with skin tones, families, flags, combining marks', () => {
    expect(cutGraphemes(`${'a'.repeat(31)}👍🏽b`, 32)).toBe(`${'a'.repeat(31)}👍🏽`);
    expect(cutGraphemes('👨‍👩‍👧‍👦👨‍👩‍👧‍👦', 1)).toBe('👨‍👩‍👧‍👦');
    expect(cutGraphemes('🇮🇩🇯🇵🇨🇳', 2)).toBe('🇮🇩🇯🇵');
    expect(cutGraphemes('Việt Nam', 3)).toBe('Việ');
    for (let n = 0; n < 12; n++) expect(isWellFormed(cutGraphemes('🙂😀👍🏽🇮🇩x', n))).toBe(true);
  });

  it('fits callback data in bytes without splitting a character', () => {
    expect(cutUtf8('日本語の都市', 7)).toBe('日本');
    expect(new TextEncoder().encode(cutUtf8('🇮🇩'.repeat(30), 60)).length).toBeLessThanOrEqual(60);
  });

  it('drops NUL, control characters, lone surrogates and U+FFFD, and keeps line breaks', () => {
    expect(cleanText('a\u0000b\u0007c\uD800d\uFFFDe\u007F')).toBe('abcde');
    expect(cleanText('line one\nline two\ttab')).toBe('line one\nline two\ttab');
    expect(cleanText('😀')).toBe('😀');
  });

  it('keeps a field cleaned, trimmed and cut, or nothing', () => {
    expect(fieldText('  \u0000  ', 10)).toBeNull();
    expect(fieldText(' Mom & Dad <3 ', 32)).toBe('Mom & Dad <3');
    expect(fieldText('x'.repeat(4096), 32)).toBe('x'.repeat(32));
  });
});
