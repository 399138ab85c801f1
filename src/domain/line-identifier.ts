import { parseIccid, type IccidError } from './iccid.js';
import { parseMsisdn, toAsciiDigits, type Carrier, type MsisdnError } from './msisdn.js';

export type LineKind = 'msisdn' | 'iccid';
export type ParsedLine = { kind: LineKind; identifier: string; carrier: Carrier };
export type LineInputError = MsisdnError | IccidError | 'empty';

/** Whatever a traveller types for "your number": a phone number or an eSIM ICCID. */
export function parseLineInput(raw: string): { ok: true; line: ParsedLine } | { ok: false; error: LineInputError } {
  const input = toAsciiDigits(raw).trim();
  if (!input) return { ok: false, error: 'empty' };
  const digits = input.replace(/[\s-]/g, '');
  if (/^89\d{10,}$/.test(digits)) {
    const iccid = parseIccid(digits);
    return iccid.ok ? { ok: true, line: { kind: 'iccid', identifier: iccid.iccid, carrier: 'esim' } } : iccid;
  }
  const msisdn = parseMsisdn(input);
  return msisdn.ok
    ? { ok: true, line: { kind: 'msisdn', identifier: msisdn.msisdn, carrier: msisdn.carrier } }
    : msisdn;
}

/** Shows only the last four digits: "•••• 5678". */
export function maskIdentifier(identifier: string): string {
  return `•••• ${identifier.slice(-4)}`;
}
