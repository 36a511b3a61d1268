/**
 * SECURITY.md says every claim names the test that would fail if it stopped being true. This keeps
 * that honest: every claim bullet of the security sections names a test file, every test file it
 * names exists, and every test name it quotes after a file is a test title in that file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const doc = readFileSync(new URL('SECURITY.md', root), 'utf8');
const flat = (s: string) => s.replace(/\s+/g, ' ').replace(/\\'/g, "'");

describe('SECURITY.md', () => {
  it('every test file it names exists, and every test name it quotes is a test in that file', () => {
    const refs = [...doc.matchAll(/`(test\/[^`]+\.ts)`(?:\s*\(((?:[^()]|\([^()]*\))*)\))?/g)];
    expect(refs.length).toBeGreaterThan(15);
    for (const [, path, quoted] of refs) {
      expect(existsSync(new URL(path!, root)), path).toBe(true);
      const source = flat(readFileSync(new URL(path!, root), 'utf8'));
      for (const [, name] of flat(quoted ?? '').matchAll(/"([^"]+)"/g)) {
        expect(source.includes(`'${name}'`) || source.includes(`\`${name}`) || source.includes(`'${name}`), `${path}: "${name}"`).toBe(true);
      }
    }
  });

  it('every claim in the secrets, redaction, files and network sections names a test', () => {
    const sections = doc.split(/^## /m).filter((s) => /^(Where secrets live|What is redacted|Files and modes|Network)/.test(s));
    expect(sections).toHaveLength(4);
    for (const section of sections) {
      // A section ending in a "Tests:" paragraph backs its list as a whole; otherwise each bullet names its own test.
      const bullets = section.split(/\n(?=- )/).filter((b) => b.startsWith('- '));
      const claims = /\nTests: /.test(section) || bullets.length === 0 ? [section] : bullets;
      for (const claim of claims) expect(claim, claim.slice(0, 80)).toMatch(/`test\/[^`]+\.test\.ts`/);
    }
  });
});
