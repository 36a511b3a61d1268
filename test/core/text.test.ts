/** Golden tests for how post text is counted (X's weighted count vs code points). */
import { describe, expect, it } from 'vitest';
import { textLength } from '../../src/core/text.js';

describe('textLength', () => {
  it.each([
    ['hello', 5, 5],
    ['café ☕', 6, 7],
    ['ラーメン', 4, 8],
    ['😀', 1, 2],
    ['see https://example.com/a/very/long/path/that/goes/on/and/on', 60, 27],
    ['two links http://a.io https://b.io', 34, 10 + 23 + 1 + 23],
  ])('%j: %i code points, %i on X', (text, codepoints, x) => {
    expect(textLength(text)).toBe(codepoints);
    expect(textLength(text, 'x-weighted')).toBe(x);
  });

  it('280 CJK characters are over X\'s limit, 140 are not', () => {
    expect(textLength('字'.repeat(140), 'x-weighted')).toBe(280);
    expect(textLength('字'.repeat(141), 'x-weighted')).toBe(282);
  });
});
