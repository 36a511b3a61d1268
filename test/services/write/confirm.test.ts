/**
 * The one confirmation port (src/services/write/confirm.ts): guardrail breaches pass by
 * `--confirm` naming them or by a "yes" on a terminal, never by --yes; moderate actions pass by
 * --yes or a terminal "yes"; everything else is exit 77 with the flag to pass.
 */
import { describe, expect, it } from 'vitest';
import type { AdctlError } from '../../../src/core/errors.js';
import { confirmList, createConfirmer } from '../../../src/services/write/confirm.js';

const refusal = async (p: Promise<unknown>): Promise<AdctlError> => p.then(() => { throw new Error('expected a refusal'); }, (e: AdctlError) => e);

describe('guardrail confirmation gate', () => {
  const found = [{ id: 'x:8wku2', message: "x:8wku2: daily budget 150.00 USD is above the profile's cap of 100.00 USD" }];
  it('without a terminal and without --confirm: exit 77 naming the flag to pass', async () => {
    const e = await refusal(createConfirmer().guardrails(found));
    expect(e).toMatchObject({ code: 'GUARDRAIL', exitCode: 77 });
    expect(e.hint).toMatch(/--confirm=x:8wku2/);
  });
  it('--confirm must name the same ref; another ref confirms nothing', async () => {
    await expect(createConfirmer({ confirm: [' x:8wku2 '] }).guardrails(found)).resolves.toBeUndefined();
    expect((await refusal(createConfirmer({ confirm: ['x:8wku3'] }).guardrails(found))).exitCode).toBe(77);
  });
  it('on a terminal: a yes passes, a no is exit 77; the question lists the breach', async () => {
    const asked: string[] = [];
    await createConfirmer({ ask: async (m) => (asked.push(m), true) }).guardrails(found);
    expect(asked[0]).toContain("above the profile's cap");
    expect((await refusal(createConfirmer({ ask: async () => false }).guardrails(found))).exitCode).toBe(77);
  });
  it('--yes never confirms a breach, and only the breaches --confirm leaves open are asked about', async () => {
    expect((await refusal(createConfirmer({ yes: true }).guardrails(found))).code).toBe('GUARDRAIL');
    const two = [...found, { id: 'meta:1', message: 'meta:1: too much' }];
    const asked: string[] = [];
    await createConfirmer({ confirm: 'x:8wku2', ask: async (m) => (asked.push(m), true) }).guardrails(two);
    expect(asked).toEqual(['meta:1: too much\nApply this budget anyway?']);
    const e = await refusal(createConfirmer({ confirm: ['x:8wku2'] }).guardrails(two));
    expect(e.message).toBe('meta:1: too much');
  });
});

describe('moderate actions', () => {
  const refusalFor = { code: 'CONFIRMATION_REQUIRED', hint: 'pass --yes to delete it without a prompt' };
  it('--yes passes without asking; no terminal is exit 77 with the hint; a terminal no is CANCELLED', async () => {
    let asked = 0;
    await createConfirmer({ yes: true, ask: async () => (asked++, false) }).action('Delete x:8wku2?', refusalFor);
    expect(asked).toBe(0);
    const e = await refusal(createConfirmer().action('Delete x:8wku2?', refusalFor));
    expect(e).toMatchObject({ code: 'CONFIRMATION_REQUIRED', exitCode: 77, hint: refusalFor.hint, message: 'Delete x:8wku2: confirmation needed' });
    expect(await refusal(createConfirmer({ ask: async () => false }).action('Delete x:8wku2?', refusalFor))).toMatchObject({ code: 'CANCELLED', exitCode: 77 });
    await expect(createConfirmer({ ask: async () => true }).action('Delete x:8wku2?', refusalFor)).resolves.toBeUndefined();
  });
});

describe('--confirm lists', () => {
  it('repeated flags and comma lists read the same way, trimmed and without duplicates', () => {
    expect(confirmList(['x:1,meta:2', ' x:3 ', 'x:1'])).toEqual(['x:1', 'meta:2', 'x:3']);
    expect(confirmList('x:1')).toEqual(['x:1']);
    expect(confirmList(undefined)).toEqual([]);
  });
});
