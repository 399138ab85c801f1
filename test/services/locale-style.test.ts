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
const FILES = ['translation', 'console'] as const;
/** Every text of a language, chat and console, by "file:key"; the intents are word lists, not copy. */
const texts = (language: string): Array<[string, string]> =>
  FILES.flatMap((file) =>
    Object.entries(flatten(JSON.parse(readFileSync(path.join(LOCALES_DIR, language, `${file}.json`), 'utf8')) as Tree))
      .filter(([key]) => !key.startsWith('intents.'))
      .map(([key, text]): [string, string] => [`${file}:${key}`, text]),
  );

/** Nouns that a number counts in English; a number before one of them needs plural forms. */
const COUNTED =
  /\{\{\s*(\w+)\s*\}\} (?:days?|hours?|minutes?|seconds?|times?|tries|try|travellers?|recipients?|numbers?|orders?|renewals?|messages?|items?)\b/g;
/** Counts that are never 1, so one form reads right: the most numbers one traveller can link (10). */
const FIXED_COUNTS = new Set(['translation:help.topics.esim.text', 'translation:link.too_many_lines']);

/**
 * Latin words a text in another script may keep (locales/GLOSSARY.md): the brand, the services and payment methods
 * by their own names, the carriers, and codes a reader types or reads off a screen.
 */
const KEPT_LATIN = new Set(
  (
    'Kuota Telegram Stars Stripe Airalo Midtrans eSIM SIM ICCID QR ID URL JSON App Visa Mastercard ' +
    'Alipay WeChat Pay QRIS GoPay OVO DANA ShopeePay PAYCO PayPay GrabPay PayNow PayPal Indomaret Alfamart ' +
    'AXIS XL Telkomsel Indosat Tri Smartfren ' +
    // Payment methods and banks as each market writes them, the Mandiri app's menu a traveller reads off the
    // screen, the phone an install link is for, and a country typed in Latin letters as the example of an answer.
    'Kakao Naver PromptPay Mandiri Permata Bayar Multipayment iPhone Android Japan Jepang'
  ).split(' '),
);
/** Names of more than one word, kept whole. */
const KEPT_PHRASES = /Livin' by Mandiri|Mandiri Bill Payment|QR Code/g;
/** What is not prose: variables, markup, commands and their arguments, settings, codes, examples. */
const NOT_PROSE =
  /\{\{\s*\w+\s*\}\}|<[^>]+>|\/\w+(?: status)?|npm run [\w:]+|\b[A-Z][A-Z0-9_]*=\w+|\b[A-Z0-9_]{2,}\b|[\w-]*\d[\w-]*/g;
/** English words that would be left over from the source in Indonesian, Malay or Vietnamese. */
const ENGLISH_IN_LATIN = /\b(?:the|and|your|please|with|line|lines|top-up|travell?ers?|refund(?:ed)?|payment)\b/i;

describe('the words in every language', () => {
  it('count through plural keys: a number before a counted noun is {{count}}, in a key with plural forms', () => {
    const wrong = texts('en').flatMap(([key, text]) =>
      [...text.matchAll(COUNTED)]
        .filter(() => !FIXED_COUNTS.has(key))
        .filter((m) => m[1] !== 'count' || !/_(one|other)$/.test(key))
        .map((m) => `${key}: ${m[0]}`),
    );
    expect(wrong).toEqual([]);
  });

  it('never glue a Korean particle to a variable, nor use a fallback like 을(를)', () => {
    const wrong = texts('ko')
      .filter(([, text]) => /\}\}(?:을|를|이|가|은|는|과|와)|\((?:을|를|이|가|은|는|과|와|으)\)/.test(text))
      .map(([key, text]) => `${key}: ${text}`);
    expect(wrong).toEqual([]);
  });

  it.each(['zh-CN', 'zh-TW', 'ja', 'ko', 'th', 'ru'])(
    '%s keeps no English besides the names the glossary lists',
    (language) => {
      const wrong = texts(language).flatMap(([key, text]) =>
        (
          text
            .replace(KEPT_PHRASES, ' ')
            .replace(NOT_PROSE, ' ')
            .match(/[A-Za-z][A-Za-z'-]+/g) ?? []
        )
          .filter((word) => !KEPT_LATIN.has(word))
          .map((word) => `${key}: ${word}`),
      );
      expect(wrong).toEqual([]);
    },
  );

  it.each(['id', 'ms', 'vi'])('%s keeps no English words from the source', (language) => {
    const wrong = texts(language)
      .map(([key, text]): [string, RegExpMatchArray | null] => [
        key,
        text.replace(KEPT_PHRASES, ' ').replace(NOT_PROSE, ' ').match(ENGLISH_IN_LATIN),
      ])
      .filter(([, match]) => match)
      .map(([key, match]) => `${key}: ${match![0]}`);
    expect(wrong).toEqual([]);
  });

  it('covers every supported language', () => {
    expect(supportedLanguages().sort()).toEqual(['en', 'id', 'ja', 'ko', 'ms', 'ru', 'th', 'vi', 'zh-CN', 'zh-TW']);
  });
});
