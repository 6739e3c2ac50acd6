// Cross-reference checks: what the schema alone cannot see (names that must exist, numbers that must
// agree with each other, rules that could never fire). They run on the raw parsed data and skip
// anything whose shape is already wrong, so the schema's problems and these arrive together.
// One file per section of the rule file; this one runs them in order.
import type { RuleFile } from '../schema.ts';
import { readableStats, writableStats } from '../stats.ts';
import type { Finding } from '../positions.ts';
import { arr, isObj, num } from './context.ts';
import type { Ctx } from './context.ts';
import { checkRoles, checkSides, collectRoles } from './roles.ts';
import { checkRegions } from './regions.ts';
import { checkModel } from './model.ts';
import { checkEvents } from './events.ts';
import { checkProposals } from './proposals.ts';
import { checkEndings } from './endings.ts';

/** Everything the schema cannot check, as findings on the raw parsed data. */
export function crossReferenceFindings(data: unknown): Finding[] {
  if (!isObj(data)) return [];
  const ctx: Ctx = {
    out: [],
    data,
    roles: new Map(),
    rolesComplete: false,
    regions: new Map(),
    regionsComplete: false,
    readable: new Set(),
    writable: new Set(),
    longestSafetyAgreement: 0,
  };
  collectRoles(ctx);
  const stand = { regions: [...ctx.regions.keys()].map((id) => ({ id })), roles: [...ctx.roles.keys()].map((id) => ({ id })) } as unknown as RuleFile;
  ctx.readable = new Set(readableStats(stand));
  ctx.writable = new Set(writableStats(stand));
  const calendar = isObj(data.calendar) ? data.calendar : {};
  const turns = num(calendar.turns);
  ctx.turns = turns !== undefined && Number.isInteger(turns) && turns >= 1 ? turns : undefined;
  const model = isObj(data.model) ? data.model : {};
  ctx.catastropheFromTurn = isObj(model.incidents) ? num(model.incidents.catastropheFromTurn) : undefined;
  for (const p of arr(data.proposals)) {
    if (isObj(p) && p.safetyAgreement === true) ctx.longestSafetyAgreement = Math.max(ctx.longestSafetyAgreement, num(p.turns) ?? 0);
  }
  checkSides(ctx);
  checkRoles(ctx);
  checkRegions(ctx);
  checkModel(ctx);
  checkEvents(ctx);
  checkProposals(ctx);
  checkEndings(ctx);
  return ctx.out;
}
