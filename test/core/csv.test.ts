/** RFC 4180 CSV: quoting, line ends, blank lines, errors with line numbers (exit 64). */
import { describe, expect, it } from 'vitest';
import type { AdctlError } from '../../src/core/errors.js';
import { formatCsv, parseCsv } from '../../src/core/csv.js';

describe('csv', () => {
  it('reads quoted fields with commas, quotes and line breaks; CRLF or LF; a BOM', () => {
    const t = parseCsv('\uFEFFref,note\r\nx:1,"a, ""b"""\nmeta:2,"two\nlines"\r\n');
    expect(t).toEqual({ header: ['ref', 'note'], rows: [['x:1', 'a, "b"'], ['meta:2', 'two\nlines']] });
  });

  it('skips blank lines but keeps an empty quoted field', () => {
    expect(parseCsv('ref\n\nx:1\n\n""\n').rows).toEqual([['x:1'], ['']]);
  });

  it('refuses malformed input with the line number', () => {
    const err = (text: string) => {
      try {
        parseCsv(text);
      } catch (e) {
        expect((e as AdctlError).exitCode).toBe(64);
        return (e as AdctlError).message;
      }
      throw new Error('expected an error');
    };
    expect(err('ref\n"x:1')).toMatch(/line 2: a quoted field is not closed/);
    expect(err('ref\nx"1')).toMatch(/line 2: a quote inside an unquoted field/);
    expect(err('ref\n"x"1')).toMatch(/line 2: text after a closing quote/);
    expect(err('ref,ok\nx:1')).toMatch(/line 2: 1 fields, but the header has 2/);
  });

  it('writes CRLF and quotes only what needs it (and empty fields)', () => {
    expect(formatCsv({ header: ['ref', 'message'], rows: [['x:1', 'a,b'], ['x:2', '']] })).toBe('ref,message\r\nx:1,"a,b"\r\nx:2,""\r\n');
  });
});
