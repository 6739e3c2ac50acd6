// Regions: country codes drawn once, and at least one region on each side.
import { SIDES } from '../schema.ts';
import { isCountryCode, suggestCountry } from '../countries.ts';
import type { DataPath } from '../positions.ts';
import { arr, isObj, push, str, uniqueIds } from './context.ts';
import type { Ctx } from './context.ts';

export function checkRegions(ctx: Ctx): void {
  uniqueIds(ctx, ctx.data.regions, ['regions'], 'region');
  const countryAt = new Map<string, DataPath>();
  const regions = arr(ctx.data.regions);
  regions.forEach((r, i) => {
    if (!isObj(r)) return;
    arr(r.countries).forEach((c, k) => {
      if (typeof c !== 'string' || !/^[A-Z]{3}$/.test(c)) return;
      const at = ['regions', i, 'countries', k];
      if (!isCountryCode(c)) {
        const s = suggestCountry(c);
        push(ctx, at, `${c} is not an ISO 3166-1 alpha-3 country code${s ? `; did you mean ${s.alpha3} (${s.name})?` : ''}`);
        return;
      }
      const first = countryAt.get(c);
      if (first) {
        const owner = regions[first[1] as number];
        const ownerId = isObj(owner) ? str(owner.id) : undefined;
        push(ctx, at, first[1] === i ? `${c} is listed twice in this region` : `${c} is already drawn as region ${ownerId ?? `regions[${String(first[1])}]`}; a country belongs to one region`, first);
      } else countryAt.set(c, at);
    });
  });
  const alignments = regions.map((r) => (isObj(r) ? r.alignment : undefined));
  if (!regions.length || alignments.some((a) => typeof a !== 'string')) return;
  for (const side of SIDES) {
    if (!alignments.includes(side)) push(ctx, ['regions'], `no region has alignment: ${side}; the map needs at least one region on each side`);
  }
}
