/**
 * How platforms count the length of a post's text. Pure.
 *
 * - `codepoints`: Unicode code points (Facebook, Instagram captions).
 * - `x-weighted`: X's weighted count (twitter-text v3 config): code points in the Latin, general
 *   punctuation and similar ranges weigh 1, everything else (CJK, emoji, …) weighs 2, and every
 *   URL counts as 23 whatever its length, because X shortens it with t.co. The limit is 280.
 */
export type TextCounting = 'codepoints' | 'x-weighted';

const LIGHT: Array<[number, number]> = [[0, 4351], [8192, 8205], [8208, 8223], [8242, 8247]];
const URL_RE = /\bhttps?:\/\/[^\s]+/gi;
const X_URL_LENGTH = 23;

export function textLength(text: string, counting: TextCounting = 'codepoints'): number {
  if (counting === 'codepoints') return [...text].length;
  let urls = 0;
  const rest = text.replace(URL_RE, () => {
    urls += 1;
    return '';
  });
  let n = urls * X_URL_LENGTH;
  for (const ch of rest) {
    const cp = ch.codePointAt(0)!;
    n += LIGHT.some(([a, b]) => cp >= a && cp <= b) ? 1 : 2;
  }
  return n;
}
