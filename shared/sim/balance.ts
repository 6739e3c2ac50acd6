// The balance report a designer runs after every edit of a rule file: which runs to play (bot
// seatings and lever shifts), and what their records say — matchups, dominance, variance shares,
// lever worth, event-card frequency and the ending mix. Pure: no I/O, no clock, no randomness.
import type { RuleFile } from '../rules/schema.ts';
import { STYLES, type Style, type PlannerName } from '../bots/planner.ts';
import type { BotsSpec } from './seating.ts';
import { mean, percentiles, round, summarize, type MatchRecords, type Summary } from './summary.ts';

export interface BalanceOptions {
  /** share of a role's budget moved into each lever for the lever table (0.15) */
  share: number;
  /** every seating of the styles (4^roles runs), not only the four uniform opposing seatings */
  grid: boolean;
  /** also each role played by this look-ahead bot against status-quo opponents (slow: about 10 matches/s a core) */
  planner?: PlannerName;
}

export const DEFAULT_BALANCE: BalanceOptions = { share: 0.15, grid: false };

/** One run of the report: a rule file (the designer's, or it with one role's status-quo split shifted) and who sits where. */
export interface BalanceRun {
  key: string;
  rules: RuleFile;
  spec: BotsSpec;
  /** for lever runs: the role whose split is shifted, and the lever (null: the money is left unspent) */
  lever?: { role: string; lever: string | null };
}

const seatKey = (spec: BotsSpec) => Object.entries(spec).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([r, p]) => `${r}=${p}`).join(',');

/** The rule file with one role's status-quo split moved: `share` of its budget taken from every lever in
 *  proportion and put into `lever` (or, with null, left unspent). */
export function shiftedRules(rules: RuleFile, roleId: string, lever: string | null, share: number): RuleFile {
  const copy = structuredClone(rules);
  const role = copy.roles.find((r) => r.id === roleId);
  if (!role) throw new Error(`no role ${roleId}`);
  const total = role.levers.reduce((a, l) => a + l.statusQuo, 0);
  const move = Math.min(share, total);
  const keep = total > 0 ? (total - move) / total : 0;
  for (const l of role.levers) l.statusQuo = l.statusQuo * keep + (l.id === lever ? move : 0);
  return copy;
}

/** Every run the report needs, each once. */
export function balanceRuns(rules: RuleFile, o: BalanceOptions = DEFAULT_BALANCE): BalanceRun[] {
  const roles = rules.roles.map((r) => r.id);
  const runs = new Map<string, BalanceRun>();
  const seat = (spec: BotsSpec) => { const key = seatKey(spec); if (!runs.has(key)) runs.set(key, { key, rules, spec }); };
  if (o.grid) {
    for (let code = 0; code < STYLES.length ** roles.length; code++) {
      const spec: BotsSpec = {};
      let c = code;
      for (const r of roles) { spec[r] = STYLES[c % STYLES.length]; c = Math.floor(c / STYLES.length); }
      seat(spec);
    }
  } else {
    for (const role of roles) for (const others of STYLES) for (const bot of STYLES) {
      seat(Object.fromEntries(roles.map((r) => [r, r === role ? bot : others])));
    }
  }
  const allSq = Object.fromEntries(roles.map((r) => [r, 'status-quo'])) as BotsSpec;
  if (o.planner) for (const role of roles) seat({ ...allSq, [role]: o.planner });
  for (const role of rules.roles) {
    for (const lever of [null, ...role.levers.map((l) => l.id)]) {
      const key = `lever:${role.id}:${lever ?? '(unspent)'}`;
      runs.set(key, { key, rules: shiftedRules(rules, role.id, lever, o.share), spec: allSq, lever: { role: role.id, lever } });
    }
  }
  return [...runs.values()];
}

// ---------------------------------------------------------------------------------------------
// The report

export interface BotFigures { leadP50: number; ownMean: number }

export interface RoleBalance {
  /** others status-quo: each style's final lead p50 and own mean score */
  matchup: Record<Style, BotFigures>;
  /** with a planner: its figures against status-quo opponents, its gain in own mean score over the status quo, and that gain's standard error (paired by seed) */
  planner?: BotFigures & { bot: PlannerName; gain: number; gainSe: number };
  /** the style that moves the lead p50 most, and by how much (months, from status quo) */
  leadSwing: { bot: Style; months: number };
  /** the style that moves the own mean score most, and by how much (points, from status quo) */
  scoreSwing: { bot: Style; points: number };
  /** per uniform opposing seating (others all that style): own mean score per style, best and worst */
  dominance: Record<Style, { scores: Record<Style, number>; best: Style; worst: Style }>;
  /** a style best (or worst) against all four uniform opposing seatings; null when none is */
  bestEverywhere: Style | null;
  worstEverywhere: Style | null;
  /** with the grid: in how many of the opposing seatings each style is best / worst */
  grid?: { seatings: number; best: Record<Style, number>; worst: Record<Style, number> };
  /** shares (0..1) of the variance of this role's score: its own style, the others' styles, their interplay, and the dice */
  variance: { own: number; others: number; interplay: number; dice: number };
  /** moving `share` of the budget into each lever, against the status quo: changes in lead p50, own mean, endings (points) */
  levers: LeverRow[];
}

export interface LeverRow {
  /** null: the shifted money is left unspent (carried over at the role's rate) */
  lever: string | null;
  effect: string | null;
  leadP50: number;
  ownMean: number;
  endings: Record<string, number>;
  /** the lever's own worth: its row minus the unspent row (a lever no mechanism reads shows 0) */
  worth: { leadP50: number; ownMean: number };
}

export interface BalanceReport {
  matchesPerRun: number;
  runs: number;
  share: number;
  /** all status-quo */
  baseline: Summary;
  roles: Record<string, RoleBalance>;
  /** per event card: share (0..1) of matches it fired in, all status-quo and over every seating played */
  cards: Record<string, { title: string; statusQuo: number; allSeatings: number }>;
  /** per ending: share (0..1) of matches, all status-quo and over every seating played */
  endings: Record<string, { title: string; statusQuo: number; allSeatings: number }>;
}

const EPS = 1e-9;

/** The report from the runs of balanceRuns and their records (same order). */
export function balanceReport(rules: RuleFile, runs: BalanceRun[], records: MatchRecords[], o: BalanceOptions = DEFAULT_BALANCE): BalanceReport {
  const roles = rules.roles.map((r) => r.id);
  const byKey = new Map<string, MatchRecords>();
  runs.forEach((r, i) => byKey.set(r.key, records[i]));
  const seating = (spec: BotsSpec) => {
    const rec = byKey.get(seatKey(spec));
    if (!rec) throw new Error(`the balance runs have no seating ${seatKey(spec)}`);
    return rec;
  };
  const uniform = (style: Style) => Object.fromEntries(roles.map((r) => [r, style])) as BotsSpec;
  const withBot = (role: string, bot: Style, others: Style) => Object.fromEntries(roles.map((r) => [r, r === role ? bot : others])) as BotsSpec;
  const leadP50 = (rec: MatchRecords) => round(percentiles(rec.lead, [0.5])[0]);
  const ownMean = (rec: MatchRecords, role: string) => round(mean(rec.scores[rec.roleIds.indexOf(role)]));
  const baseRec = seating(uniform('status-quo'));
  const baseline = summarize(baseRec);

  const out: Record<string, RoleBalance> = {};
  for (const role of roles) {
    const matchup = {} as Record<Style, BotFigures>;
    for (const bot of STYLES) {
      const rec = seating(withBot(role, bot, 'status-quo'));
      matchup[bot] = { leadP50: leadP50(rec), ownMean: ownMean(rec, role) };
    }
    const sq = matchup['status-quo'];
    let planner: RoleBalance['planner'];
    if (o.planner) {
      const rec = seating({ ...uniform('status-quo'), [role]: o.planner });
      const own = ownMean(rec, role);
      // every run plays the same seeds in the same order: the gain's standard error is that of the paired differences
      const mine = rec.scores[rec.roleIds.indexOf(role)], base = baseRec.scores[baseRec.roleIds.indexOf(role)];
      const n = Math.min(mine.length, base.length);
      const d = Array.from({ length: n }, (_, i) => mine[i] - base[i]);
      const md = mean(d);
      const se = n > 1 ? Math.sqrt(d.reduce((a, x) => a + (x - md) ** 2, 0) / (n - 1) / n) : 0;
      planner = { bot: o.planner, leadP50: leadP50(rec), ownMean: own, gain: round(own - sq.ownMean), gainSe: round(se) };
    }
    let leadSwing = { bot: 'status-quo' as Style, months: 0 };
    let scoreSwing = { bot: 'status-quo' as Style, points: 0 };
    for (const bot of STYLES) {
      const dl = round(matchup[bot].leadP50 - sq.leadP50);
      const ds = round(matchup[bot].ownMean - sq.ownMean);
      if (Math.abs(dl) > Math.abs(leadSwing.months) + EPS) leadSwing = { bot, months: dl };
      if (Math.abs(ds) > Math.abs(scoreSwing.points) + EPS) scoreSwing = { bot, points: ds };
    }

    const dominance = {} as RoleBalance['dominance'];
    for (const others of STYLES) {
      const scores = {} as Record<Style, number>;
      for (const bot of STYLES) scores[bot] = ownMean(seating(withBot(role, bot, others)), role);
      dominance[others] = { scores, ...bestWorst(scores) };
    }
    const everywhere = (pick: 'best' | 'worst') => {
      const first = dominance[STYLES[0]][pick];
      return STYLES.every((s) => dominance[s][pick] === first) ? first : null;
    };

    // cells: (own style, opposing seating) over the grid when played, else the uniform opposing seatings
    const others = roles.filter((r) => r !== role);
    const opposing: BotsSpec[] = [];
    if (o.grid) {
      for (let code = 0; code < STYLES.length ** others.length; code++) {
        const spec: BotsSpec = {};
        let c = code;
        for (const r of others) { spec[r] = STYLES[c % STYLES.length]; c = Math.floor(c / STYLES.length); }
        opposing.push(spec);
      }
    } else for (const s of STYLES) opposing.push(Object.fromEntries(others.map((r) => [r, s])));
    const cells = STYLES.map((bot) => opposing.map((opp) => seating({ ...opp, [role]: bot })));
    const variance = varianceShares(cells.map((row) => row.map((rec) => rec.scores[rec.roleIds.indexOf(role)])));

    let grid: RoleBalance['grid'];
    if (o.grid) {
      const best = Object.fromEntries(STYLES.map((s) => [s, 0])) as Record<Style, number>;
      const worst = { ...best };
      opposing.forEach((_, j) => {
        const scores = Object.fromEntries(STYLES.map((bot, b) => [bot, mean(cells[b][j].scores[cells[b][j].roleIds.indexOf(role)])])) as Record<Style, number>;
        const bw = bestWorst(scores);
        best[bw.best]++;
        worst[bw.worst]++;
      });
      grid = { seatings: opposing.length, best, worst };
    }

    const roleRule = rules.roles.find((r) => r.id === role)!;
    const leverRec = (lever: string | null) => byKey.get(`lever:${role}:${lever ?? '(unspent)'}`)!;
    const baseEnd = endingShares(baseRec);
    const row = (lever: string | null) => {
      const rec = leverRec(lever);
      const ends = endingShares(rec);
      return {
        lever, effect: lever === null ? null : roleRule.levers.find((l) => l.id === lever)!.effect,
        leadP50: round(leadP50(rec) - baseline.leadMonths.p50),
        ownMean: round(ownMean(rec, role) - ownMean(baseRec, role)),
        endings: Object.fromEntries(Object.keys(baseEnd).map((id) => [id, round(100 * ((ends[id] ?? 0) - baseEnd[id]), 2)])),
      };
    };
    const unspent = row(null);
    const levers: LeverRow[] = [null, ...roleRule.levers.map((l) => l.id)].map((lever) => {
      const r = lever === null ? unspent : row(lever);
      return { ...r, worth: { leadP50: round(r.leadP50 - unspent.leadP50), ownMean: round(r.ownMean - unspent.ownMean) } };
    });

    out[role] = { matchup, ...(planner ? { planner } : {}), leadSwing, scoreSwing, dominance, bestEverywhere: everywhere('best'), worstEverywhere: everywhere('worst'), ...(grid ? { grid } : {}), variance, levers };
  }

  // the pooled shares are over the scripted seatings (a planner seat is a measurement, not a style)
  const seatRuns = runs.map((r, i) => ({ r, rec: records[i] })).filter((x) => !x.r.lever && !Object.values(x.r.spec).some((p) => p.startsWith('planner')));
  const pooledN = seatRuns.reduce((a, x) => a + x.rec.n, 0);
  const cards: BalanceReport['cards'] = {};
  for (const card of rules.events) {
    const fired = (rec: MatchRecords) => rec.fired[rec.cardIds.indexOf(card.id)]?.reduce((a, b) => a + b, 0) ?? 0;
    cards[card.id] = {
      title: card.title,
      statusQuo: round(fired(baseRec) / Math.max(1, baseRec.n), 4),
      allSeatings: round(seatRuns.reduce((a, x) => a + fired(x.rec), 0) / Math.max(1, pooledN), 4),
    };
  }
  const endings: BalanceReport['endings'] = {};
  const pooled: Record<string, number> = {};
  for (const x of seatRuns) for (let i = 0; i < x.rec.n; i++) {
    const id = x.rec.endingIds[x.rec.ending[i]] ?? '(none)';
    pooled[id] = (pooled[id] ?? 0) + 1;
  }
  for (const e of rules.endings) {
    endings[e.id] = { title: e.title, statusQuo: round((baseline.endings[e.id] ?? 0) / Math.max(1, baseline.matches), 4), allSeatings: round((pooled[e.id] ?? 0) / Math.max(1, pooledN), 4) };
  }
  return { matchesPerRun: baseRec.n, runs: runs.length, share: o.share, baseline, roles: out, cards, endings };
}

/** Best and worst by score; ties go to the earlier style (status quo first). */
function bestWorst(scores: Record<Style, number>): { best: Style; worst: Style } {
  let best: Style = STYLES[0], worst: Style = STYLES[0];
  for (const s of STYLES) {
    if (scores[s] > scores[best] + EPS) best = s;
    if (scores[s] < scores[worst] - EPS) worst = s;
  }
  return { best, worst };
}

function endingShares(rec: MatchRecords): Record<string, number> {
  const out: Record<string, number> = {};
  for (const id of rec.endingIds) out[id] = 0;
  for (let i = 0; i < rec.n; i++) if (rec.ending[i] >= 0) out[rec.endingIds[rec.ending[i]]] += 1 / rec.n;
  return out;
}

/**
 * Two-way split of a score's variance over cells [own style][opposing seating] of equal size: the
 * own style's main effect, the opposing seatings' main effect, their interplay, and what is left
 * inside a cell (the dice). Shares of the total; they add up to 1.
 */
export function varianceShares(cells: ArrayLike<number>[][]): { own: number; others: number; interplay: number; dice: number } {
  const a = cells.length, b = cells[0]?.length ?? 0;
  if (!a || !b) return { own: 0, others: 0, interplay: 0, dice: 0 };
  const m = cells.map((row) => row.map((xs) => mean(xs)));
  const grand = mean(m.flat());
  const rowMeans = m.map((row) => mean(row));
  const colMeans = Array.from({ length: b }, (_, j) => mean(m.map((row) => row[j])));
  const own = mean(rowMeans.map((x) => (x - grand) ** 2));
  const others = mean(colMeans.map((x) => (x - grand) ** 2));
  const cellVar = mean(m.flat().map((x) => (x - grand) ** 2));
  const interplay = Math.max(0, cellVar - own - others);
  const dice = mean(cells.flat().map((xs, k) => { const mu = m.flat()[k]; let s = 0; for (let i = 0; i < xs.length; i++) s += (xs[i] - mu) ** 2; return xs.length ? s / xs.length : 0; }));
  const total = own + others + interplay + dice;
  if (!(total > 0)) return { own: 0, others: 0, interplay: 0, dice: 0 };
  return { own: round(own / total, 4), others: round(others / total, 4), interplay: round(interplay / total, 4), dice: round(dice / total, 4) };
}
