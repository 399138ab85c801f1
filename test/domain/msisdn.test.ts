import { describe, expect, it } from 'vitest';
import { parseMsisdn, toLocalForm } from '../../src/domain/msisdn.js';

describe('Indonesian mobile numbers', () => {
  it.each([
    ['083812345678', '6283812345678'],
    ['0838 1234 5678', '6283812345678'],
    ['0838-1234-5678', '6283812345678'],
    ['+62 838 1234 5678', '6283812345678'],
    ['+62-838-1234-5678', '6283812345678'],
    ['62838 1234 5678', '6283812345678'],
    ['(0838) 1234.5678', '6283812345678'],
    ['８３８１２３４５６７８', '6283812345678'],
    ['＋６２８３８１２３４５６７８', '6283812345678'],
  ])('reads %s as %s', (input, msisdn) => {
    expect(parseMsisdn(input)).toEqual({ ok: true, msisdn, carrier: 'axis' });
  });

  it.each([
    ['0831 1111 2222', 'axis'],
    ['0832 1111 2222', 'axis'],
    ['0833 1111 2222', 'axis'],
    ['0838 1111 2222', 'axis'],
    ['0817 1111 2222', 'xl'],
    ['0859 1111 2222', 'xl'],
    ['0878 1111 2222', 'xl'],
    ['0811 1111 2222', 'telkomsel'],
    ['0852 1111 2222', 'telkomsel'],
    ['0815 1111 2222', 'indosat'],
    ['0857 1111 2222', 'indosat'],
    ['0896 1111 2222', 'tri'],
    ['0881 1111 2222', 'smartfren'],
    ['0889 1111 2222', 'smartfren'],
  ])('names the operator of %s: %s', (input, carrier) => {
    expect(parseMsisdn(input)).toMatchObject({ ok: true, carrier });
  });

  it.each([
    // Telkomsel's by.U numbers, refused by the first table.
    ['0851 5512 3456', 'telkomsel'],
    ['+62 851 5812 3456', 'telkomsel'],
    ['0884 1111 2222', 'smartfren'],
    ['0885 1111 2222', 'smartfren'],
    ['0886 1111 2222', 'smartfren'],
  ])('knows the prefixes libphonenumber lags behind: %s is %s', (input, carrier) => {
    expect(parseMsisdn(input)).toMatchObject({ ok: true, carrier });
  });

  it('knows every mobile prefix of every Indonesian operator, and no other', () => {
    const known = Array.from({ length: 100 }, (_, i) => `8${String(i).padStart(2, '0')}`).filter(
      (p) => parseMsisdn(`0${p}12345678`).ok,
    );
    expect(known).toEqual([
      '811',
      '812',
      '813',
      '814',
      '815',
      '816',
      '817',
      '818',
      '819',
      '821',
      '822',
      '823',
      '831',
      '832',
      '833',
      '838',
      '851',
      '852',
      '853',
      '855',
      '856',
      '857',
      '858',
      '859',
      '877',
      '878',
      '879',
      '881',
      '882',
      '883',
      '884',
      '885',
      '886',
      '887',
      '888',
      '889',
      '895',
      '896',
      '897',
      '898',
      '899',
    ]);
  });

  it.each([
    ['hello', 'not_a_number'],
    ['0838 1234 5678 ☎️', 'not_a_number'],
    ['+1 415 555 2671', 'not_indonesian'],
    ['021 555 1234', 'not_indonesian'],
    ['0838 123', 'wrong_length'],
    ['0838 1234 5678 9012', 'wrong_length'],
    ['0800 1234 5678', 'unknown_prefix'],
  ])('refuses %s (%s)', (input, error) => {
    expect(parseMsisdn(input)).toEqual({ ok: false, error });
  });

  it('gives top-up APIs the local form', () => {
    expect(toLocalForm('6283812345678')).toBe('083812345678');
  });
});
