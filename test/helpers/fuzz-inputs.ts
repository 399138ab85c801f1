/** Seeded generators of what travellers, attackers and Telegram itself may send; the same seed gives the same walk. */

export type Rng = {
  next(): number;
  int(max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
};

export function seeded(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    // mulberry32
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (max) => Math.floor(next() * max),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  };
}

const SCRIPTS = [
  'Halo, saya mau isi ulang',
  '我想续费，多少钱？',
  '我想續費',
  'ต่ออายุแพ็กเกจ',
  'gia hạn gói cước',
  'データを追加したい',
  '충전하고 싶어요',
  'продлить тариф',
  'مرحبا، أريد تجديد الباقة',
  'नमस्ते रिचार्ज',
  'שלום',
  'Ελληνικά',
  'ḿ̷̢͓̻ä̸̧̛͈̱ȑ̶̫k̸',
  '‮reversed‬',
  'e\u0301\u0301\u0301',
];
const EMOJI = ['👍🏽', '👨‍👩‍👧‍👦', '🇮🇩', '🏳️‍🌈', '🧑🏿‍💻', '❤️‍🔥', '😀', '🫠', '1️⃣', '🤷‍♀️'];
const CONTROL = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\u001b[31m',
  '\u007f',
  '\u200b',
  '\u2028',
  '\ufeff',
  '\ud800',
  '\udfff',
  '\ufffd',
  '\r\n',
];
const HTML = [
  '<b>bold</b>',
  '<script>alert(1)</script>',
  'Mom & Dad <3',
  '&amp;&lt;&gt;',
  '</b>',
  '<a href="x">',
  '<tg-spoiler>',
  '"quoted" \'single\'',
];
const COMMANDS = [
  '/start',
  '/link',
  '/add',
  '/renew',
  '/numbers',
  '/history',
  '/help',
  '/language',
  '/settings',
  '/notices',
  '/stores',
  '/cancel',
  '/notice',
  '/notice status',
  '/start renew',
  '/unknown',
  '/',
];
const NUMBERS = [
  '0838 1234 5678',
  '+62 838 1234 5679',
  '083812340000',
  '0851 5512 3456',
  '0817 2222 1111',
  '0838 1111 2222',
  '0838 3333 3333',
  '0800 1234 5678',
  '+1 415 555 2671',
  '0838 12',
  '８３８１２３４５６７８',
];
const WORDS = [
  'axis-weekly-10gb',
  'axis-daily-2gb',
  'Skip',
  'Mum',
  'yes',
  '150000',
  '100.000',
  'IDR 50,000',
  '0',
  '-5',
  '1e309',
  'NaN',
  '   ',
  '',
];

/** One piece of text, from every family above, sometimes glued together or blown up past Telegram's 4,096 characters. */
export function text(rng: Rng, extra: string[] = []): string {
  const family = rng.int(9);
  const pieces: readonly string[][] = [
    SCRIPTS,
    EMOJI,
    CONTROL,
    HTML,
    COMMANDS,
    NUMBERS,
    WORDS,
    extra.length ? extra : WORDS,
    SCRIPTS,
  ];
  let out = rng.pick(pieces[family]!);
  if (rng.chance(0.3)) out += rng.pick(CONTROL) + rng.pick(EMOJI) + rng.pick(HTML);
  if (rng.chance(0.06)) out = out.repeat(Math.ceil(4200 / Math.max(out.length, 1))).slice(0, 4096 + rng.int(200));
  return out;
}

/** Callback data a client could forge: known prefixes with garbage, NUL, unknown prefixes, 64 bytes of emoji. */
export function forgedData(rng: Rng, ids: string[]): string {
  const prefixes = [
    'm:',
    'ln:renew:',
    'ln:unlink:',
    'ln:unlink!:',
    'ar:open:',
    'ar:setup:',
    'ar:card:',
    'ar:pause:',
    'ar:resume:',
    'ar:off:',
    'ar:off!:',
    'ar:spending',
    'o:pay:',
    'o:cancel:',
    'o:receipt:',
    'lang:',
    'rl:',
    'rp:',
    'lk:skip',
    'arp:',
    'arc:',
    'art:',
    'ary',
    'arn',
    'rn:',
    'nt:',
    'st:',
    'st:tz:',
    'st:qh:',
    'sc:',
    'so:',
    'hp:',
    'nl:',
    'na:c:',
    'na:plans',
    'np:yes',
    'xx:',
    '',
  ];
  const tails = [
    '',
    '\u0000',
    'zz',
    '9'.repeat(40),
    '-1',
    '1e9',
    '../../etc',
    '<b>',
    '🇮🇩🇮🇩🇮🇩🇮🇩',
    'home',
    'renew',
    'all',
    'done',
    'm',
    'a',
    'x:y:z',
    ...ids,
  ];
  let data = rng.pick(prefixes) + rng.pick(tails);
  if (rng.chance(0.2)) data += ':' + rng.pick(tails);
  if (rng.chance(0.2) && ids.length) data = `o:pay:${rng.pick(ids)}:${rng.pick(['m', 'a'])}`;
  // Telegram carries at most 64 bytes of callback data.
  while (new TextEncoder().encode(data).length > 64) data = data.slice(0, -1);
  return data || 'x';
}

export const NON_TEXT: Array<(rng: Rng) => Record<string, unknown>> = [
  () => ({
    sticker: {
      file_id: 's',
      file_unique_id: 's',
      type: 'regular',
      width: 512,
      height: 512,
      is_animated: false,
      is_video: false,
    },
  }),
  () => ({ photo: [{ file_id: 'p', file_unique_id: 'p', width: 90, height: 90 }], caption: 'my SIM card\u0000 <b>' }),
  (rng) => ({
    location: {
      latitude: rng.pick([-8.72, -6.2, 40.71, 21.3, 89.99, -89.99, 0, -16.8]),
      longitude: rng.pick([115.17, 106.8, -74, -157.86, 179.99, -179.99, 0]),
    },
  }),
  () => ({ contact: { phone_number: '+6283812345678', first_name: 'Mum\u0000' } }),
  () => ({ voice: { file_id: 'v', file_unique_id: 'v', duration: 3 } }),
  () => ({ document: { file_id: 'd', file_unique_id: 'd', file_name: 'passport.pdf' } }),
  () => ({ dice: { emoji: '🎲', value: 4 } }),
];
