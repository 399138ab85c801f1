import { describe, expect, it } from 'vitest';
import {
  BUTTONS,
  CALLBACK_DATA_MAX_BYTES,
  CB,
  isMenuTap,
  readTap,
  type ButtonName,
  type ValuesOf,
} from '../../src/bot/callback-data.js';

const cuid = 'cmb0x7k2q0000abcd1234efgh';
// The longest values each button is built with: an entry added to the registry without a line here fails to compile.
const LONGEST: { [K in ButtonName]: ValuesOf<K> } = {
  menu: ['notices'],
  city: ['Kota '.repeat(20)],
  store: ['s'.repeat(41)],
  helpTopic: ['precautions'],
  renewNow: [cuid],
  notice: [`ntc${'x'.repeat(20)}`],
  setting: ['ntc'],
  settingZone: [15],
  settingQuiet: [22, 7],
  openLine: [cuid],
  renewLine: [cuid],
  unlinkAsk: [cuid],
  unlinkYes: [cuid],
  pay: [cuid, 'a'],
  moreMethods: [cuid],
  esimResend: [cuid],
  esimSteps: [cuid],
  esimRefund: ['yes', cuid],
  esimDestination: ['region:asia'],
  esimPlan: ['sim-japan-1gb-7d'],
  esimReady: ['yes'],
  cancelOrder: [cuid],
  receipt: [cuid],
  language: ['zh-TW'],
  autoRenew: ['resume', cuid],
  autoRenewSpending: [],
  operatorOrder: ['refund!', cuid],
  operatorEsimOptIn: ['credit'],
  starsSubscription: [cuid],
  pickLine: [cuid],
  pickPlan: ['XL-ANYTIME-30D-50GB-ROAM'],
  skipLabel: [],
  autoRenewPlan: ['XL-ANYTIME-30D-50GB-ROAM'],
  autoRenewCap: [2_500_000_00],
  autoRenewWhen: [1024],
  autoRenewConfirm: [],
  autoRenewCancel: [],
  noticeLanguage: ['zh-CN'],
  noticeLanguagesDone: [],
  noticeAudience: ['plans'],
  noticeCarrier: ['smartfren'],
  noticePublish: ['yes'],
};

function build<K extends ButtonName>(name: K, values: ValuesOf<K>): string {
  const builder = CB[name] as string | ((...v: unknown[]) => string);
  return typeof builder === 'string' ? builder : builder(...(values as unknown[]));
}

describe('callback data registry', () => {
  const names = Object.keys(BUTTONS) as ButtonName[];

  it.each(names)('%s: what is built is read back as the same button with the same values, in 64 bytes', (name) => {
    const data = build(name, LONGEST[name]);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
    const tap = readTap(data);
    expect(tap?.button).toBe(name);
    // A city name is cut to fit and found again by its beginning.
    if (name === 'city') expect(LONGEST.city[0].startsWith(tap!.values[0] as string)).toBe(true);
    else expect(tap?.values).toEqual(LONGEST[name]);
  });

  it('reads every value a button offers, and no other', () => {
    expect(readTap(CB.autoRenewWhen(null))).toEqual({ button: 'autoRenewWhen', values: [null] });
    expect(readTap(CB.pay(cuid, 'm'))).toEqual({ button: 'pay', values: [cuid, 'm'] });
    expect(readTap(CB.noticeLanguagesDone)?.button).toBe('noticeLanguagesDone');
    expect(readTap('ar:spending')?.button).toBe('autoRenewSpending');
    expect(readTap(`o:pay:${cuid}:x`)).toBeUndefined();
    expect(readTap('ar:explode:abc')).toBeUndefined();
    expect(readTap('st:qh:7')).toBeUndefined();
    expect(readTap('arc:-5')).toBeUndefined();
  });

  it('refuses junk, old formats and empty data', () => {
    for (const junk of ['', 'x', 'm:', 'm:nothing', 'o:pay:', 'lang:English', 'zz:1', 'ary:1', '🙂'.repeat(16)])
      expect(readTap(junk), junk).toBeUndefined();
    expect(readTap(undefined)).toBeUndefined();
  });

  it('says which taps are menu taps: those leave a waiting conversation; the steps a conversation waits for do not', () => {
    const menu = names.filter((n) => isMenuTap(build(n, LONGEST[n])));
    expect(menu.sort()).toEqual(
      [
        'menu',
        'city',
        'store',
        'helpTopic',
        'renewNow',
        'notice',
        'setting',
        'settingZone',
        'settingQuiet',
        'openLine',
        'renewLine',
        'unlinkAsk',
        'unlinkYes',
        'pay',
        'moreMethods',
        'esimResend',
        'esimSteps',
        'esimRefund',
        'cancelOrder',
        'receipt',
        'language',
        'autoRenew',
        'autoRenewSpending',
        'operatorOrder',
        'operatorEsimOptIn',
      ].sort(),
    );
    expect(isMenuTap('junk')).toBe(false);
  });

  it('refuses to build data Telegram would refuse', () => {
    expect(() => CB.store('s'.repeat(70))).toThrow(/64 bytes/);
  });
});
