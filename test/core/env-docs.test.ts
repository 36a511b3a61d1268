import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENV_VARS } from '../../src/core/env.js';

describe('environment variable docs', () => {
  const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
  it('.env.example lists every ADCTL_ variable with a comment above it', () => {
    for (const v of ENV_VARS.filter((x) => x.name.startsWith('ADCTL_'))) {
      const lines = example.split('\n');
      const i = lines.findIndex((l) => l.startsWith(`${v.name}=`));
      expect(i, v.name).toBeGreaterThan(0);
      expect(lines.slice(0, i).reverse().find((l) => l.trim() !== '' && !/^[A-Z_]+=/.test(l)), v.name).toMatch(/^#/);
    }
  });
  it('.env.example names nothing the registry does not know', () => {
    const names = [...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
    const known = new Set(ENV_VARS.map((v) => v.name));
    expect(names.filter((n) => !known.has(n!))).toEqual([]);
  });
});
