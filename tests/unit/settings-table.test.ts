// The settings table (shared/rules/settings.ts) drives order checking and completion: each test runs over every
// setting in the table, so a setting added there is checked here without a word changed.
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { initialState, statusQuoOrder } from '../../shared/engine/setup.ts';
import { checkOrder } from '../../shared/engine/orders.ts';
import { completeOrder } from '../../shared/match/orders.ts';
import { SETTING_IDS, setting } from '../../shared/rules/settings.ts';
import { SETTING_KINDS } from '../../shared/rules/schema.ts';
import type { RuleFile } from '../../shared/rules/schema.ts';
import type { Order } from '../../shared/engine/state.ts';
import { settingsChanges } from '../../server/record/export.ts';

const rules = defaultRules();
const state = initialState(rules, 7);

/** A value of the setting's kind that differs from where the world stands. */
function otherValue(id: (typeof SETTING_IDS)[number], r: RuleFile): unknown {
  const now = setting(id).current(r, state);
  const s = setting(id);
  if (s.kind === 'boolean') return !now;
  if (s.kind === 'share') return now === 0.5 ? 0.25 : 0.5;
  return { [r.regions[0].id]: (now as Record<string, string>)[r.regions[0].id] === 'open' ? 'embargo' : 'open' };
}

/** The rules with one role holding exactly this setting (and a second role holding none). */
function holding(id: (typeof SETTING_IDS)[number]): RuleFile {
  const copy = structuredClone(rules);
  for (const r of copy.roles) r.settings = [];
  copy.roles[0].settings = [id];
  return copy;
}

describe('settings table', () => {
  it('is the list of settings a rule file may give a role', () => {
    expect([...SETTING_KINDS]).toEqual(SETTING_IDS);
  });

  for (const id of SETTING_IDS) {
    it(`checks ${id}: its shape on the wire, and that only a role holding it may set it`, () => {
      const r = holding(id);
      const [holder, other] = [r.roles[0].id, r.roles[1].id];
      const value = otherValue(id, r);
      const base = statusQuoOrder(r, state, holder);
      const ok = checkOrder(r, state, holder, { spend: base.spend, [id]: value });
      expect(ok.ok, JSON.stringify(ok)).toBe(true);
      if (ok.ok) expect(ok.order[id as keyof Order]).toEqual(value);
      const refused = checkOrder(r, state, other, { spend: {}, [id]: value });
      expect(refused).toEqual({ ok: false, errors: [expect.stringContaining(`${id}: ${r.roles[1].name} does not set ${id}`)] });
      const malformed = checkOrder(r, state, holder, { spend: {}, [id]: 'not a value' });
      expect(malformed.ok).toBe(false);
    });

    it(`completes ${id} from the world when a holder's order leaves it out, and keeps the order's value otherwise`, () => {
      const r = holding(id);
      const holder = r.roles[0].id;
      const filled = completeOrder(r, state, holder, { spend: {} });
      expect(filled[id as keyof Order]).toEqual(setting(id).current(r, state));
      const value = otherValue(id, r);
      const kept = completeOrder(r, state, holder, { spend: {}, [id]: value } as Order);
      if (setting(id).kind === 'tiers') expect(kept[id as keyof Order]).toEqual({ ...(setting(id).current(r, state) as object), ...(value as object) });
      else expect(kept[id as keyof Order]).toEqual(value);
      const notHeld = completeOrder(r, state, r.roles[1].id, { spend: {} });
      expect(notHeld[id as keyof Order]).toBeUndefined();
    });
  }

  for (const id of SETTING_IDS) {
    it(`records a change of ${id} in the match record's settingsChanges`, () => {
      const r = holding(id);
      const holder = r.roles[0].id;
      const value = otherValue(id, r);
      const changes = settingsChanges(r, state, { [holder]: { spend: {}, [id]: value } as Order });
      const from = setting(id).current(r, state);
      if (setting(id).kind === 'tiers') {
        const region = r.regions[0].id;
        expect(changes).toEqual([{ role: holder, setting: 'exportTier', region, from: (from as Record<string, string>)[region], to: (value as Record<string, string>)[region] }]);
      } else expect(changes).toEqual([{ role: holder, setting: id, from, to: value }]);
    });
  }
});
