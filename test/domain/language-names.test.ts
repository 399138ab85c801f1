import { describe, expect, it } from 'vitest';
import { languageLabelIn, languageNameIn } from '../../src/domain/language-names.js';

describe('a language named in the reader’s language', () => {
  it('a Thai reader reads อังกฤษ, not English, so a Thai sentence keeps one script', () => {
    expect(languageNameIn('en', 'th')).toBe('อังกฤษ');
    expect(languageNameIn('ja', 'th')).toBe('ญี่ปุ่น');
  });

  it('Korean and Vietnamese readers read their own words for it', () => {
    expect(languageNameIn('en', 'ko')).toBe('영어');
    expect(languageNameIn('th', 'vi')).toBe('tiếng Thái');
  });

  it('mid-sentence a Vietnamese reader reads "bằng tiếng Anh", in lower case; standing alone it keeps its capital', () => {
    expect(languageNameIn('en', 'vi')).toBe('tiếng Anh');
    expect(languageLabelIn('en', 'vi')).toBe('Tiếng Anh');
    expect(languageNameIn('en', 'en')).toBe('English');
    expect(languageNameIn('de', 'en')).toBe('German');
  });

  it('the two Chinese locales are told apart by script, as the language picker does, not by country', () => {
    expect(languageNameIn('zh-CN', 'en')).toBe('Simplified Chinese');
    expect(languageNameIn('zh-TW', 'th')).toBe('จีนตัวเต็ม');
  });

  it('a tag Intl refuses is shown as it is, not thrown', () => {
    expect(languageNameIn('not a tag!', 'th')).toBe('not a tag!');
    expect(languageNameIn('en', 'not a tag!')).toBe('en');
  });
});
