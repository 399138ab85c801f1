/** eSIM ICCIDs: 19–20 digits starting 89, the last one a Luhn check digit. */

export type IccidError = 'wrong_length' | 'not_an_iccid' | 'bad_checksum';
export type IccidResult = { ok: true; iccid: string } | { ok: false; error: IccidError };

export function parseIccid(input: string): IccidResult {
  const digits = input.replace(/[\s-]/g, '');
  if (!/^\d+$/.test(digits)) return { ok: false, error: 'not_an_iccid' };
  if (!digits.startsWith('89')) return { ok: false, error: 'not_an_iccid' };
  if (digits.length < 19 || digits.length > 20) return { ok: false, error: 'wrong_length' };
  if (!luhnValid(digits)) return { ok: false, error: 'bad_checksum' };
  return { ok: true, iccid: digits };
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Appends the Luhn check digit; used by the sample data and tests to make valid ICCIDs. */
export function withLuhnDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}
