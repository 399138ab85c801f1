// How wide a label is on a phone: East Asian wide and fullwidth characters and emoji take two
// columns, combining marks (Thai vowels and tones, Vietnamese stacked accents) take none.
const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|\p{Extended_Pictographic}/u;
// eslint-disable-next-line no-misleading-character-class -- counts each combining mark alone, on purpose
const ZERO = /[\p{Mn}\p{Me}\u200B-\u200F\uFE0F]/u;

export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += ZERO.test(char) ? 0 : WIDE.test(char) ? 2 : 1;
  return width;
}

/** Cuts a label to `max` columns, ending with "…" when it had to cut. */
export function fitWidth(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  let out = '';
  for (const char of text) {
    if (displayWidth(`${out}${char}…`) > max) break;
    out += char;
  }
  return `${out.trimEnd()}…`;
}
