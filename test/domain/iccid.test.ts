import { describe, expect, it } from 'vitest';
import { luhnValid, parseIccid, withLuhnDigit } from '../../src/domain/iccid.js';
import { maskIdentifier, parseLineInput } from '../../src/domain/line-identifier.js';

describe('eSIM ICCIDs', () => {
  const valid19 = withLuhnDigit('896200000000000001');
  const valid20 = withLuhnDigit('8965012345678901234');

  it('accepts 19 and 20 digits starting 89 with a good Luhn digit, with spaces', () => {
    expect(parseIccid(valid19)).toEqual({ ok: true, iccid: valid19 });
    expect(parseIccid(valid20.replace(/(\d{4})/g, '$1 '))).toEqual({ ok: true, iccid: valid20 });
  });

  it('knows the Luhn algorithm (a published test number)', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
  });

  it('catches a mistyped digit, a wrong length and a wrong start', () => {
    const typo = valid19.slice(0, 5) + String((Number(valid19[5]) + 1) % 10) + valid19.slice(6);
    expect(parseIccid(typo)).toEqual({ ok: false, error: 'bad_checksum' });
    expect(parseIccid(valid19.slice(0, 17))).toEqual({ ok: false, error: 'wrong_length' });
    expect(parseIccid('12' + valid19.slice(2))).toEqual({ ok: false, error: 'not_an_iccid' });
  });

  it('tells a number from an ICCID in what a traveller types', () => {
    expect(parseLineInput(valid19)).toMatchObject({ ok: true, line: { kind: 'iccid', carrier: 'esim' } });
    expect(parseLineInput(' 0838 1234 5678 ')).toMatchObject({
      ok: true,
      line: { kind: 'msisdn', identifier: '6283812345678' },
    });
    expect(parseLineInput('   ')).toEqual({ ok: false, error: 'empty' });
  });

  it('shows only the last four digits', () => {
    expect(maskIdentifier('6283812345678')).toBe('•••• 5678');
  });
});
