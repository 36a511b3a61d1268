/**
 * The countries the X sandbox's `GET targeting_criteria/locations` knows, with X-like opaque
 * 16-hex targeting values derived from the country code (stable across resets and processes).
 * A leaf module: seed.ts and targeting.ts both use it without importing each other.
 */
import { createHash } from 'node:crypto';

export interface XLocation { name: string; country_code: string; location_type: 'COUNTRIES'; targeting_value: string; targeting_type: 'LOCATION' }

let countries: XLocation[] | undefined;
/** Every ISO-3166 country ICU names, with a stable opaque 16-hex targeting value per country. */
export function countryLocations(): XLocation[] {
  if (countries) return countries;
  const names = new Intl.DisplayNames(['en'], { type: 'region' });
  const out: XLocation[] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const cc = String.fromCharCode(a, b);
      const name = names.of(cc);
      // Not countries: user-assigned and grouping codes.
      if (!name || name === cc || ['EU', 'EZ', 'UN', 'ZZ', 'AA'].includes(cc) || /^(Q[M-Z]|X[A-JL-Z])$/.test(cc)) continue;
      out.push({ name, country_code: cc, location_type: 'COUNTRIES', targeting_value: createHash('sha1').update(`country:${cc}`).digest('hex').slice(0, 16), targeting_type: 'LOCATION' });
    }
  }
  countries = out;
  return out;
}
