/** `--from` formats and the `--name` glob of bulk commands. */
import { describe, expect, it } from 'vitest';
import { globToRegExp, refsFromText } from '../../src/services/bulk.js';

describe('--from reader', () => {
  it('reads a CSV ref column, JSON lines, a {"results":[…]} document and a plain JSON array', () => {
    expect(refsFromText('name,ref\nA,x:1\n"B, b",meta:2\n', 'f')).toEqual(['x:1', 'meta:2']);
    expect(refsFromText('{"ref":"x:1"}\n\n{"ref":"meta:2","note":1}\n', 'f')).toEqual(['x:1', 'meta:2']);
    expect(refsFromText('{"results":[{"ref":"x:1","ok":true},{"ref":"x:2","ok":false,"error":{"code":"NOT_FOUND"}}]}', 'f')).toEqual(['x:2']);
    expect(refsFromText('["x:1","meta:2"]', 'f')).toEqual(['x:1', 'meta:2']);
  });
  it('a report retries only its failures (CSV and JSON lines)', () => {
    expect(refsFromText('ref,ok,code,message\r\nx:1,true,"",""\r\nx:2,false,NOT_FOUND,gone\r\n', 'f')).toEqual(['x:2']);
    expect(refsFromText('{"ref":"x:1","ok":true}\n{"ref":"x:2","ok":false}\n', 'f')).toEqual(['x:2']);
  });
  it('names the problem: no ref column, a line that is not an object', () => {
    expect(() => refsFromText('id\nx:1\n', 'in.csv')).toThrow(/in\.csv: the CSV has no "ref" column/);
    expect(() => refsFromText('{"ref":"x:1"}\nnope\n', 'in.jsonl')).toThrow(/in\.jsonl: line 2 is not a JSON object/);
    expect(() => refsFromText('{"ref":"x:1"}\n{"id":"x:2"}\n', 'in.jsonl')).toThrow(/line 2 has no "ref"/);
  });
});

describe('name glob', () => {
  it('*, ? and [] like a shell; everything else literal; anchored', () => {
    expect(globToRegExp('Holiday*').test('Holiday Espresso')).toBe(true);
    expect(globToRegExp('Holiday*').test('Big Holiday')).toBe(false);
    expect(globToRegExp('Bulk ?').test('Bulk 7')).toBe(true);
    expect(globToRegExp('Bulk ?').test('Bulk 17')).toBe(false);
    expect(globToRegExp('[AB]*').test('Brand')).toBe(true);
    expect(globToRegExp('[!AB]*').test('Brand')).toBe(false);
    expect(globToRegExp('a.b (c)+').test('a.b (c)+')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});
