import { describe, expect, it } from 'vitest';
import { debugFrom, inCi, noInputFrom, truthy } from '../../src/core/switches.js';

describe('switches: one truth rule for flags and environment', () => {
  it('"0", "false" in any case and "" are off; anything else is on', () => {
    for (const off of [undefined, '', '0', 'false', 'FALSE', 'False']) expect(truthy(off), String(off)).toBe(false);
    for (const on of ['1', 'true', 'yes', 'http']) expect(truthy(on), on).toBe(true);
  });

  it('debug: the flag, or ADCTL_DEBUG read with that rule', () => {
    expect(debugFrom({}, { ADCTL_DEBUG: 'false' })).toBe(false);
    expect(debugFrom({}, { ADCTL_DEBUG: '0' })).toBe(false);
    expect(debugFrom({}, { ADCTL_DEBUG: 'http' })).toBe(true);
    expect(debugFrom({ debug: true }, { ADCTL_DEBUG: 'false' })).toBe(true);
  });

  it('no input: the flag, ADCTL_NO_INPUT or CI, each read with that rule', () => {
    expect(noInputFrom({}, {})).toBe(false);
    expect(noInputFrom({}, { CI: 'false', ADCTL_NO_INPUT: '0' })).toBe(false);
    expect(noInputFrom({}, { CI: 'true' })).toBe(true);
    expect(noInputFrom({}, { ADCTL_NO_INPUT: 'FALSE' })).toBe(false);
    expect(noInputFrom({ noInput: true }, {})).toBe(true);
    expect(inCi({ CI: '1' })).toBe(true);
  });
});
