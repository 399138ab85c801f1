/** Indonesian mobile numbers: +62 then 9–12 digits; locally 0 then the same digits. */

/** Every carrier Kuota knows, the one list: catalog and store files, notices' audiences and the console read it. */
export const CARRIERS = ['axis', 'xl', 'telkomsel', 'indosat', 'tri', 'smartfren', 'esim'] as const;
export type Carrier = (typeof CARRIERS)[number];

// libphonenumber-js validates numbers but cannot name the carrier, so a prefix table does that.
// Checked in 2026 against libphonenumber's carrier data (resources/carrier/en/62.txt) and the operators'
// own allocations, which that file lags: 0851 is Telkomsel (by.U and the former Kartu As range), and
// Smartfren holds the whole 0881–0889 block (libphonenumber lists 0881–0883 and 0887–0889 only).
const PREFIXES: Record<string, Carrier> = {
  '831': 'axis',
  '832': 'axis',
  '833': 'axis',
  '838': 'axis',
  '817': 'xl',
  '818': 'xl',
  '819': 'xl',
  '859': 'xl',
  '877': 'xl',
  '878': 'xl',
  '879': 'xl',
  '811': 'telkomsel',
  '812': 'telkomsel',
  '813': 'telkomsel',
  '821': 'telkomsel',
  '822': 'telkomsel',
  '823': 'telkomsel',
  '851': 'telkomsel',
  '852': 'telkomsel',
  '853': 'telkomsel',
  '814': 'indosat',
  '815': 'indosat',
  '816': 'indosat',
  '855': 'indosat',
  '856': 'indosat',
  '857': 'indosat',
  '858': 'indosat',
  '895': 'tri',
  '896': 'tri',
  '897': 'tri',
  '898': 'tri',
  '899': 'tri',
  '881': 'smartfren',
  '882': 'smartfren',
  '883': 'smartfren',
  '884': 'smartfren',
  '885': 'smartfren',
  '886': 'smartfren',
  '887': 'smartfren',
  '888': 'smartfren',
  '889': 'smartfren',
};

export type MsisdnError = 'not_a_number' | 'not_indonesian' | 'wrong_length' | 'unknown_prefix';

export type MsisdnResult = { ok: true; msisdn: string; carrier: Carrier } | { ok: false; error: MsisdnError };

/** Accepts 0838…, +62 838…, 62838…, 838…, with spaces, dashes, dots or brackets. Returns 62838… */
export function parseMsisdn(input: string): MsisdnResult {
  const trimmed = toAsciiDigits(input).trim();
  if (!/^\+?[\d\s\-.()]+$/.test(trimmed)) return { ok: false, error: 'not_a_number' };
  const hasPlus = trimmed.startsWith('+');
  let digits = trimmed.replace(/\D/g, '');
  if (hasPlus && !digits.startsWith('62')) return { ok: false, error: 'not_indonesian' };
  if (digits.startsWith('62')) digits = digits.slice(2);
  else if (digits.startsWith('0')) digits = digits.slice(1);
  else if (!digits.startsWith('8')) return { ok: false, error: 'not_indonesian' };
  if (!digits.startsWith('8')) return { ok: false, error: 'not_indonesian' };
  if (digits.length < 9 || digits.length > 12) return { ok: false, error: 'wrong_length' };
  const carrier = PREFIXES[digits.slice(0, 3)];
  if (!carrier) return { ok: false, error: 'unknown_prefix' };
  return { ok: true, msisdn: `62${digits}`, carrier };
}

/** The local form (08…) that Indonesian top-up APIs expect. */
export function toLocalForm(msisdn: string): string {
  return `0${msisdn.slice(2)}`;
}

/** Travellers paste digits from phones set to other scripts (Arabic-Indic, full-width). */
export function toAsciiDigits(input: string): string {
  return input
    .replace(/[\uFF10-\uFF19]/g, (d) => String(d.charCodeAt(0) - 0xff10))
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/\uFF0B/g, '+');
}
