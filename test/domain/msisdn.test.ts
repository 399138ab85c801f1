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
    ['0831 1111 2222', 'axis'], ['0832 1111 2222', 'axis'], ['0833 1111 2222', 'axis'], ['0838 1111 2222', 'axis'],
    ['0817 1111 2222', 'xl'], ['0859 1111 2222', 'xl'], ['0878 1111 2222', 'xl'],
    ['0811 1111 2222', 'telkomsel'], ['0852 1111 2222', 'telkomsel'],
    ['0815 1111 2222', 'indosat'], ['0857 1111 2222', 'indosat'],
    ['0896 1111 2222', 'tri'], ['0881 1111 2222', 'smartfren'], ['0889 1111 2222', 'smartfren'],
  ])('names the operator of %s: %s', (input, carrier) => {
    expect(parseMsisdn(input)).toMatchObject({ ok: true, carrier });
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
