/**
 * Where a traveller is going, from what they type in any of Kuota's ten languages: a country
 * (ISO 3166 alpha-2) or one of the regions the partner sells regional plans for. Country names come
 * from Intl.DisplayNames in every language, so "Japan", "日本", "Jepang", "일본", "ญี่ปุ่น" and
 * "Япония" all find JP; a few everyday names Intl does not give are aliases below.
 */

export const DESTINATION_LANGUAGES = ['en', 'id', 'zh-CN', 'zh-TW', 'ja', 'ko', 'th', 'vi', 'ms', 'ru'] as const;

export const REGIONS = ['asia', 'europe', 'global'] as const;
export type Region = (typeof REGIONS)[number];

export type Destination = { kind: 'country'; code: string } | { kind: 'region'; code: Region };

export type DestinationMatch = { ok: true; destination: Destination } | { ok: false; suggestions: Destination[] };

/** The places most travellers ask for first (the "popular" buttons). */
export const POPULAR_DESTINATIONS = ['JP', 'KR', 'TH', 'SG', 'MY', 'VN', 'ID', 'CN', 'TW', 'US'] as const;

/** Names of the regions as travellers type them; the names shown are in the locales. */
const REGION_WORDS: Record<Region, string[]> = {
  asia: ['asia', 'asian', '亚洲', '亞洲', 'アジア', '아시아', 'เอเชีย', 'châu á', 'chau a', 'азия'],
  europe: [
    'europe',
    'eropa',
    'eropah',
    '欧洲',
    '歐洲',
    'ヨーロッパ',
    '欧州',
    '유럽',
    'ยุโรป',
    'châu âu',
    'chau au',
    'европа',
  ],
  global: [
    'global',
    'world',
    'worldwide',
    'dunia',
    '全球',
    '世界',
    '글로벌',
    '전세계',
    'ทั่วโลก',
    'toàn cầu',
    'мир',
    'весь мир',
  ],
};

/** Everyday names Intl does not give (short forms, older names, common misspellings). */
const COUNTRY_ALIASES: Record<string, string[]> = {
  KR: ['korea', 'south korea', '한국', '韩国', '韓國', '南韓', 'корея', 'hàn quốc', 'เกาหลี'],
  US: ['usa', 'america', 'united states of america', '美国', '美國', 'アメリカ', '미국', 'сша', 'amerika'],
  GB: ['uk', 'england', 'britain', 'great britain', '英国', '英國', 'イギリス', '영국', 'англия'],
  AE: ['uae', 'dubai'],
  HK: ['hongkong', 'hong kong', '香港'],
  TW: ['taiwan', '台湾', '台灣', '臺灣', '대만', 'тайвань'],
  CN: ['china', '中国', '中國', '大陆', '중국', 'จีน'],
  VN: ['vietnam', 'viet nam', 'việt nam'],
  TH: ['thailand', '泰国', '泰國', 'タイ', '태국', 'ไทย', 'thái lan'],
  JP: ['nihon', 'nippon'],
};

/** Words around the place that do not name it: "esim japan", "日本 eSIM", "eSIM Jepang", "일본 이심". */
const ESIM_WORDS = /e[\s-]?sims?|이심카드|이심|イーシム|eシム|유심|sim卡|sim/giu;
const FILLER_TOKENS = new Set([
  'data',
  'paket',
  'kartu',
  'card',
  'plan',
  'for',
  'to',
  'in',
  'ke',
  'di',
  'untuk',
  'в',
  'для',
  'đi',
  'cho',
  'ไป',
  '流量',
  '数据',
  '卡',
]);
const withoutFiller = (text: string) =>
  normalizePlace(
    text
      .replace(ESIM_WORDS, ' ')
      .split(' ')
      .filter((word) => !FILLER_TOKENS.has(word))
      .join(' '),
  );

const ALL_CODES: string[] = (() => {
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  const codes: string[] = [];
  for (let a = 65; a <= 90; a++)
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      // Intl answers a name for real country codes only (fallback "none" gives undefined otherwise).
      if (code !== 'ZZ' && !/^(Q[M-Z]|X[A-Z]|A[AC]|EU|EZ|UN)$/.test(code) && names.of(code)) codes.push(code);
    }
  return codes;
})();

export const normalizePlace = (text: string): string =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[.,!?;:()'"“”‘’、。！？·]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

type Entry = { name: string; destination: Destination };

let index: Map<string, Destination> | null = null;
let entries: Entry[] = [];

function buildIndex(): Map<string, Destination> {
  const map = new Map<string, Destination>();
  const add = (name: string, destination: Destination) => {
    const key = normalizePlace(name);
    if (key && !map.has(key)) map.set(key, destination);
  };
  for (const region of REGIONS) for (const word of REGION_WORDS[region]) add(word, { kind: 'region', code: region });
  for (const [code, aliases] of Object.entries(COUNTRY_ALIASES))
    for (const alias of aliases) add(alias, { kind: 'country', code });
  for (const language of DESTINATION_LANGUAGES) {
    const names = new Intl.DisplayNames([language], { type: 'region', fallback: 'none' });
    for (const code of ALL_CODES) {
      const name = names.of(code);
      if (name) add(name, { kind: 'country', code });
    }
  }
  entries = [...map.entries()].map(([name, destination]) => ({ name, destination }));
  return map;
}

const sameDestination = (a: Destination, b: Destination) => a.kind === b.kind && a.code === b.code;

/** The place a traveller typed, or up to `limit` places whose names are close to it. */
export function matchDestination(text: string, limit = 4): DestinationMatch {
  index ??= buildIndex();
  const whole = normalizePlace(text).slice(0, 100);
  if (!whole) return { ok: false, suggestions: [] };
  const found = index.get(whole);
  if (found) return { ok: true, destination: found };
  if (/^[a-z]{2}$/.test(whole) && ALL_CODES.includes(whole.toUpperCase()))
    return { ok: true, destination: { kind: 'country', code: whole.toUpperCase() } };
  const stripped = withoutFiller(whole);
  const strippedFound = stripped && index.get(stripped);
  if (strippedFound) return { ok: true, destination: strippedFound };
  return { ok: false, suggestions: suggest(stripped || whole, limit) };
}

/** Names that start like the text, then names a couple of edits away; each place once. */
function suggest(text: string, limit: number): Destination[] {
  const scored: Array<{ destination: Destination; score: number }> = [];
  for (const entry of entries) {
    let score: number | null = null;
    if (entry.name.startsWith(text) || (text.length >= 3 && entry.name.includes(text))) score = 0;
    else if (text.length >= 3) {
      const distance = Math.min(editDistance(text, entry.name), editDistance(text, entry.name.slice(0, text.length)));
      if (distance <= (text.length >= 5 ? 2 : 1)) score = distance;
    }
    if (score !== null) scored.push({ destination: entry.destination, score });
  }
  scored.sort((a, b) => a.score - b.score);
  const picked: Destination[] = [];
  for (const { destination } of scored) {
    if (!picked.some((p) => sameDestination(p, destination))) picked.push(destination);
    if (picked.length >= limit) break;
  }
  return picked;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const kept = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = kept;
    }
  }
  return row[b.length]!;
}

/** A country's name in the traveller's language (Intl), e.g. for buttons and plan lists. */
export function countryName(code: string, language: string): string {
  try {
    return new Intl.DisplayNames([language], { type: 'region', fallback: 'code' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The region a country belongs to for regional plans (the partner's regions that Kuota offers). */
const ASIA = new Set([
  'JP',
  'KR',
  'TH',
  'SG',
  'MY',
  'VN',
  'ID',
  'CN',
  'TW',
  'HK',
  'MO',
  'PH',
  'KH',
  'LA',
  'MM',
  'IN',
  'LK',
  'BN',
  'NP',
  'BD',
  'MN',
  'PK',
  'UZ',
  'KZ',
]);

/** Whether a plan covering `countries` serves the destination (a regional plan serves each of its countries). */
export function planServes(countries: string[], destination: Destination): boolean {
  if (destination.kind === 'country') return countries.includes(destination.code);
  if (destination.code === 'global') return countries.length >= 20;
  if (destination.code === 'asia') return countries.length > 1 && countries.every((c) => ASIA.has(c));
  return countries.length > 1 && countries.every((c) => !ASIA.has(c)) && countries.length < 20;
}

/**
 * Where a new-eSIM package takes the traveller, for grouping the catalog: its country for a local
 * plan, its region for a regional one (the first region it serves); null when it names no country.
 */
export function packageDestination(countries: string[]): Destination | null {
  if (countries.length === 1) return { kind: 'country', code: countries[0]! };
  const region = REGIONS.find((code) => planServes(countries, { kind: 'region', code }));
  return region ? { kind: 'region', code: region } : null;
}

/** "JP" or "region:asia", as stored for recent choices and in buttons. */
export const destinationKey = (d: Destination): string => (d.kind === 'country' ? d.code : `region:${d.code}`);

export function destinationFromKey(key: string): Destination | null {
  if (/^[A-Z]{2}$/.test(key) && ALL_CODES.includes(key)) return { kind: 'country', code: key };
  const region = key.startsWith('region:') ? key.slice(7) : '';
  return (REGIONS as readonly string[]).includes(region) ? { kind: 'region', code: region as Region } : null;
}
