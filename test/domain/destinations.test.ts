import { describe, expect, it } from 'vitest';
import { destinationFromKey, destinationKey, matchDestination, planServes } from '../../src/domain/destinations.js';

const japan = { ok: true, destination: { kind: 'country', code: 'JP' } };

describe('where a traveller is going, typed in any of the ten languages', () => {
  it.each(['Japan', '日本', 'Jepang', 'Jepun', '일본', 'ญี่ปุ่น', 'Япония', 'Nhật Bản', 'JP', 'jp', '  japan!  '])(
    '%s is Japan',
    (typed) => expect(matchDestination(typed)).toEqual(japan),
  );

  it.each(['esim japan', '日本 eSIM', '日本eSIM', 'eSIM Jepang', '일본 이심', 'e-sim for Japan', 'Japan esims'])(
    '"%s" (with the word eSIM around it) is Japan',
    (typed) => expect(matchDestination(typed)).toEqual(japan),
  );

  it('finds other places by their everyday names', () => {
    expect(matchDestination('Korea')).toEqual({ ok: true, destination: { kind: 'country', code: 'KR' } });
    expect(matchDestination('한국')).toEqual({ ok: true, destination: { kind: 'country', code: 'KR' } });
    expect(matchDestination('USA')).toEqual({ ok: true, destination: { kind: 'country', code: 'US' } });
    expect(matchDestination('esim india')).toEqual({ ok: true, destination: { kind: 'country', code: 'IN' } });
    expect(matchDestination('泰國')).toEqual({ ok: true, destination: { kind: 'country', code: 'TH' } });
  });

  it('finds the regions', () => {
    expect(matchDestination('Asia')).toEqual({ ok: true, destination: { kind: 'region', code: 'asia' } });
    expect(matchDestination('eropa')).toEqual({ ok: true, destination: { kind: 'region', code: 'europe' } });
    expect(matchDestination('全球')).toEqual({ ok: true, destination: { kind: 'region', code: 'global' } });
  });

  it('suggests close places for a misspelling, and nothing for junk', () => {
    const typo = matchDestination('Japna');
    expect(typo.ok).toBe(false);
    expect(!typo.ok && typo.suggestions).toContainEqual({ kind: 'country', code: 'JP' });
    const start = matchDestination('Singa');
    expect(!start.ok && start.suggestions).toContainEqual({ kind: 'country', code: 'SG' });
    expect(matchDestination('🙂🙂🙂')).toEqual({ ok: false, suggestions: [] });
    expect(matchDestination('')).toEqual({ ok: false, suggestions: [] });
    expect(matchDestination('x'.repeat(5000)).ok).toBe(false);
  });

  it('keys round-trip, and a forged key is refused', () => {
    for (const d of [
      { kind: 'country', code: 'JP' },
      { kind: 'region', code: 'asia' },
    ] as const)
      expect(destinationFromKey(destinationKey(d))).toEqual(d);
    expect(destinationFromKey('region:mars')).toBeNull();
    expect(destinationFromKey('ZZ')).toBeNull();
  });

  it('a regional plan serves each of its countries and its region', () => {
    expect(planServes(['JP'], { kind: 'country', code: 'JP' })).toBe(true);
    expect(planServes(['JP', 'KR', 'TH'], { kind: 'country', code: 'KR' })).toBe(true);
    expect(planServes(['JP', 'KR', 'TH'], { kind: 'region', code: 'asia' })).toBe(true);
    expect(planServes(['FR', 'DE'], { kind: 'region', code: 'asia' })).toBe(false);
    expect(planServes(['FR', 'DE'], { kind: 'region', code: 'europe' })).toBe(true);
  });
});
