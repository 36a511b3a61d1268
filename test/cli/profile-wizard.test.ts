/**
 * The `profile add` wizard: which questions it asks (secrets masked, flags already given not asked
 * again), what it returns, and that its answers pass the same schemas as the scripted path. The
 * prompts are a scripted Ask that applies each prompt's default and validation like @inquirer does.
 */
import { describe, expect, it } from 'vitest';
import { ProfileSecretsSchema } from '../../src/core/profiles.js';
import { runProfileWizard, type Ask } from '../../src/cli/profile-wizard.js';

/** Answers keyed by a fragment of the prompt; a rejected answer is recorded and the next one used. */
function scripted(answers: Array<[string, string | string[]]>) {
  const asked: string[] = [];
  const rejected: string[] = [];
  const next = (kind: string, message: string, validate?: (v: string) => true | string): string | string[] => {
    asked.push(`${kind}: ${message}`);
    for (;;) {
      const i = answers.findIndex(([k]) => message.includes(k));
      if (i < 0) throw new Error(`unexpected prompt: ${message}`);
      const [, a] = answers.splice(i, 1)[0]!;
      const ok = typeof a === 'string' && validate ? validate(a) : true;
      if (ok === true) return a;
      rejected.push(`${message} ← ${String(a)}: ${ok}`);
    }
  };
  const ask: Ask = {
    // Like @inquirer/input: an empty answer takes the default, then validation runs.
    input: async (m, o = {}) => {
      const withDefault = (v: string) => (v === '' && o.default !== undefined ? o.default : v);
      return withDefault(next('input', m, o.validate && ((v) => o.validate!(withDefault(v)))) as string);
    },
    password: async (m) => next('password', m) as string,
    checkbox: async (m) => next('checkbox', m) as string[],
  };
  return { ask, asked, rejected };
}

describe('profile add wizard', () => {
  it('both platforms: secrets masked, ids, zone, guardrails; bad answers asked again; result passes the profile schemas', async () => {
    const s = scripted([
      ['Platforms', ['x', 'meta']],
      ['X consumer key', 'ck'], ['X consumer secret', 'cs'], ['X access token secret', 'ats'], ['X access token', 'at'],
      ['X Ads account', '18ce54d4x5t'], ['X user id', ''],
      ['Meta access token', 'EAAwizard'], ['Meta app secret', ''], ['Meta app id', '4001'],
      ['Meta ad account', 'act_x'], ['Meta ad account', '1001'], ['Page', '1122'], ['Instagram', ''],
      ['time zone', 'Mars/Olympus'], ['time zone', ''],
      ['daily budget', '500 dollars'], ['daily budget', '500 USD'], ['increase', '20'],
    ]);
    const r = await runProfileWizard(s.ask, {}, 'Europe/Berlin');
    expect(r).toEqual({
      secrets: { x: { apiKey: 'ck', apiSecret: 'cs', accessToken: 'at', accessSecret: 'ats' }, meta: { accessToken: 'EAAwizard' } },
      fields: { xAdsAccount: '18ce54d4x5t', metaAppId: '4001', metaAdAccount: 'act_1001', metaPage: '1122', timeZone: 'Europe/Berlin', maxDailyBudget: ['500 USD'], maxIncreasePct: '20' },
    });
    expect(s.asked.filter((q) => /token|secret|key/i.test(q) && !/account/i.test(q)).every((q) => q.startsWith('password:'))).toBe(true);
    expect(s.rejected).toEqual([
      'Meta ad account id, act_… (empty: none) ← act_x: digits, optionally prefixed with act_',
      'Default time zone ← Mars/Olympus: an IANA zone such as Europe/Berlin',
      'Guardrail: largest daily budget, e.g. "500 USD" (empty: none) ← 500 dollars: an exact amount and an ISO currency code, e.g. 500 USD',
    ]);
    expect(ProfileSecretsSchema.safeParse(r.secrets).success).toBe(true);
  });

  it('one platform sets the profile\'s plugins; values given as flags are not asked again', async () => {
    const s = scripted([['Platforms', ['meta']], ['Meta access token', 'EAAonly'], ['Meta app secret', 'app-secret'], ['Instagram', '17841400000000000']]);
    const r = await runProfileWizard(s.ask, { metaAdAccount: 'act_2002', metaPage: '55', metaAppId: '9', timeZone: 'Asia/Tokyo', maxDailyBudget: ['5000 JPY'], maxIncreasePct: '10' }, 'UTC');
    expect(r).toEqual({ secrets: { meta: { accessToken: 'EAAonly', appSecret: 'app-secret' } }, fields: { plugins: 'meta', metaIgUser: '17841400000000000' } });
    expect(s.asked).toEqual([
      'checkbox: Platforms for this profile', 'password: Meta access token', 'password: Meta app secret (empty: no appsecret_proof)', 'input: Instagram user id (empty: none)',
    ]);
  });
});
