/**
 * The no-import-cycle lint rule: it finds a cycle through static imports (type-only ones too),
 * ignores dynamic import(), and src/ has none (the same check `npm run lint` runs).
 */
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JS module of the lint config, without type declarations
import { cycleThrough } from '../../eslint-rules/import-cycles.js';

const find = cycleThrough as (file: string) => string[] | undefined;

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'adctl-cycles-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function allTs(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allTs(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('no-import-cycle', () => {
  it('finds a cycle of value imports, and names it from the file back to itself', () => {
    const d = tree({ 'a.ts': "import { b } from './b.js';\nexport const a = b;\n", 'b.ts': "import { c } from './c.js';\nexport const b = c;\n", 'c.ts': "import { a } from './a.js';\nexport const c = 1;\n" });
    expect(find(join(d, 'a.ts'))).toEqual([join(d, 'a.ts'), join(d, 'b.ts'), join(d, 'c.ts'), join(d, 'a.ts')]);
  });

  it('counts type-only imports and re-exports too', () => {
    const d = tree({ 'a.ts': "import type { B } from './b.js';\nexport interface A { b: B }\n", 'b.ts': "export type { A } from './a.js';\nexport interface B { n: number }\n" });
    expect(find(join(d, 'a.ts'))).toEqual([join(d, 'a.ts'), join(d, 'b.ts'), join(d, 'a.ts')]);
  });

  it('ignores dynamic import() and modules outside the tree', () => {
    const d = tree({ 'a.ts': "import { z } from 'zod';\nexport const a = () => import('./b.js');\nexport { z };\n", 'b.ts': "import { a } from './a.js';\nexport const b = a;\n" });
    expect(find(join(d, 'a.ts'))).toBeUndefined();
    expect(find(join(d, 'b.ts'))).toBeUndefined();
  });

  it('src/ has no import cycle', () => {
    const src = new URL('../../src', import.meta.url).pathname;
    const cycles = allTs(src).map((f) => find(f)).filter((c): c is string[] => !!c).map((c) => c.map((f) => f.slice(src.length + 1)).join(' → '));
    expect(cycles).toEqual([]);
  });
});
