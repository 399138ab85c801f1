import { midSentence } from './expiry.js';

/**
 * A language's name as the reader says it: "อังกฤษ" in a Thai sentence, "영어" in a Korean one, "English" in an
 * English one. A sentence such as "Title in {{language}}" must not switch script halfway ("หัวข้อภาษาEnglish").
 * The language pickers keep each language's own name (LANGUAGE_NAMES), since there the reader is choosing one.
 */

// Kuota's Chinese locales are told apart by script, not by country: Intl names zh-CN "Chinese (China)" but
// zh-Hans "Simplified Chinese", which is what the language picker means.
const BY_SCRIPT: Record<string, string> = { 'zh-CN': 'zh-Hans', 'zh-TW': 'zh-Hant' };

const namers = new Map<string, Intl.DisplayNames>();

/** The name inside a sentence: Vietnamese writes "bằng tiếng Anh", though Intl gives "Tiếng Anh". */
export function languageNameIn(code: string, reader: string): string {
  return midSentence(languageLabelIn(code, reader), reader);
}

/** The name standing alone, as a table cell or a field label, where it keeps the capital Intl gives it. */
export function languageLabelIn(code: string, reader: string): string {
  try {
    let namer = namers.get(reader);
    if (!namer) {
      // Readers' languages are few; the bound only guards against junk tags from a form.
      if (namers.size > 100) namers.clear();
      namers.set(reader, (namer = new Intl.DisplayNames([reader], { type: 'language', fallback: 'none' })));
    }
    return namer.of(BY_SCRIPT[code] ?? code) ?? code;
  } catch {
    // A tag Intl refuses (junk stored in a record) is shown as it is rather than breaking the page.
    return code;
  }
}
