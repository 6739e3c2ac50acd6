// A match's record for GET /api/matches/:code/record and the teacher's CSV debrief: full, or only what is public.
import { SETTING_IDS, setting } from '../../shared/rules/settings.ts';
import type { SettingId } from '../../shared/rules/settings.ts';
import type { RuleFile, ExportTier } from '../../shared/rules/schema.ts';
import type { MatchState, Orders, TurnEvent } from '../../shared/engine/state.ts';
import { publicView } from '../../shared/engine/views.ts';
import { RECORD_FORMAT, type MatchRecord, type PlayedBy, type RecordBase, type RecordChat, type RecordPerson, type SettingChange } from '../../shared/protocol/record.ts';
import type { MatchHeader, StoredEntry } from '../store/types.ts';
import { replayMatch } from './replay.ts';
import type { Replay } from './replay.ts';

export { RECORD_FORMAT } from '../../shared/protocol/record.ts';
export type { PlayedBy, RecordPerson, RecordChat, RecordRole, SettingChange, RecordDiplomacy, FullMatchRecord, PublicMatchRecord, MatchRecord } from '../../shared/protocol/record.ts';

/** Who may read the full record: the facilitator's key holder, or anyone once the match is over (the debrief). */
export function canSeeFullRecord(header: Pick<MatchHeader, 'status'>, hasFacilitatorKey: boolean): boolean {
  return hasFacilitatorKey || header.status === 'finished';
}

/**
 * The JSON record of a match. `full` (facilitator, or a finished match) holds seed, orders, every
 * state and hidden events; otherwise only the public view, public events and public chat.
 * Private chat (to a team, within a team, to the facilitator) is only in a `keyed` record, the facilitator's:
 * a finished match's record without the key holds public chat alone. Token hashes and the facilitator key hash
 * never appear. Pass `replay` when it is already at hand.
 */
export function matchRecord(rules: RuleFile, header: MatchHeader, entries: readonly StoredEntry[], options: { full: boolean; keyed?: boolean; replay?: Replay }): MatchRecord {
  const replay = options.replay ?? replayMatch(rules, header, entries);
  const m = replay.match;
  const roleName = (id: string | null) => (id === null ? null : rules.roles.find((r) => r.id === id)?.name ?? id);
  const people = new Map<string, RecordPerson>();
  for (const p of m.people.values()) people.set(p.id, { name: p.name, role: p.role, roleName: roleName(p.role), spectator: p.spectator, removed: p.removed, agent: p.agent, joinedAt: p.joinedAt });
  const chat: RecordChat[] = m.chat.map((c) => ({ at: c.at, from: people.get(c.from)?.name ?? c.from, fromRole: c.fromRole, to: c.to, text: c.text }));
  const started = m.started;
  const endReason = m.endReason;
  const nameOf = (personId: string) => people.get(personId)?.name ?? personId;
  const state = replay.state;
  const base: Omit<RecordBase, 'chat'> = {
    format: RECORD_FORMAT,
    version: 1,
    code: header.code,
    createdAt: header.createdAt,
    status: header.status,
    rules: { name: rules.name, file: header.settings.rulesName, version: rules.version },
    settings: structuredClone(header.settings),
    forkedFrom: header.settings.forkedFrom ? structuredClone(header.settings.forkedFrom) : null,
    roles: rules.roles.map((r) => ({ id: r.id, name: r.name, side: r.side, levers: r.levers.map((l) => ({ id: l.id, name: l.name })) })),
    regions: rules.regions.map((r) => ({ id: r.id, name: r.name })),
    people: [...people.values()],
    started,
    endReason,
    ending: state.ending,
    scores: state.ending ? { ...state.ending.scores } : null,
    diplomacy: replay.diplomacy.map((d) => ({ ...d, by: nameOf(d.by) })),
  };
  if (options.full) {
    const playedBy = playedByQuarter(entries);
    return {
      ...base,
      full: true,
      chat: (options.keyed ?? true) ? chat : chat.filter((c) => c.to === 'all'),
      seed: header.seed,
      rulesText: header.rulesText,
      turns: replay.turns.map((t, i) => ({ turn: t.turn, quarter: t.quarter, orders: t.orders, playedBy: playedBy[i] ?? {}, settingsChanges: settingsChanges(rules, t.before, t.orders), events: t.events, state: t.state, ...(t.sources ? { sources: { ...t.sources } } : {}) })),
      timeline: state.timeline,
      current: replay.current,
      state,
    };
  }
  const isPublic = (e: TurnEvent) => e.visibleTo === 'all';
  const view = publicView(rules, state);
  return {
    ...base,
    full: false,
    chat: chat.filter((c) => c.to === 'all'),
    turns: replay.turns.map((t) => ({ turn: t.turn, quarter: t.quarter, events: t.events.filter(isPublic) })),
    timeline: view.timeline,
    current: { ...replay.current, events: replay.current.events.filter(isPublic) },
    view,
  };
}

/**
 * For each resolved quarter, in order, who made each role's order: read from the log beside the replay, because the
 * match keeps only the last submitter and drafter of the quarter being played (an agent seat is a person entry with
 * `agent`; the referee submits as "referee").
 */
export function playedByQuarter(entries: readonly StoredEntry[]): Partial<Record<string, PlayedBy>>[] {
  const agents = new Map<string, boolean>();
  const submittedBy = new Map<string, string>();
  const draftedBy = new Map<string, string>();
  const out: Partial<Record<string, PlayedBy>>[] = [];
  const byWhom = (by: string | undefined): PlayedBy => (by === 'referee' ? 'referee' : by && agents.get(by) ? 'agent' : 'person');
  for (const { entry: e } of entries) {
    if (e.kind === 'person') agents.set(e.personId, e.agent === true);
    else if (e.kind === 'submit') submittedBy.set(e.role, e.by);
    else if (e.kind === 'unsubmit') submittedBy.delete(e.role);
    else if (e.kind === 'draft') draftedBy.set(e.role, e.by);
    else if (e.kind === 'resolve') {
      const quarter: Partial<Record<string, PlayedBy>> = {};
      for (const role of Object.keys(e.orders)) {
        const source = e.sources?.[role];
        if (source === 'submitted' || (!source && submittedBy.has(role))) quarter[role] = byWhom(submittedBy.get(role));
        else if (source === 'draft') quarter[role] = byWhom(draftedBy.get(role));
        else if (source === 'bot' || source === 'previous') quarter[role] = source;
      }
      out.push(quarter);
      submittedBy.clear();
      draftedBy.clear();
    }
  }
  return out;
}

/** The settings each role's resolved order changed, in the order the engine applies them. */
export function settingsChanges(rules: RuleFile, before: MatchState, orders: Orders): SettingChange[] {
  const out: SettingChange[] = [];
  const tiers: Record<string, ExportTier> = {};
  for (const r of rules.regions) tiers[r.id] = before.regions[r.id].tier;
  // the other settings are one value each, where the world stands before any order applies
  const scalars = SETTING_IDS.filter((id): id is SettingChange['setting'] & SettingId => setting(id).kind !== 'tiers');
  const now = new Map(scalars.map((id) => [id, setting(id).current(rules, before) as boolean | number | undefined]));
  for (const role of rules.roles) {
    const o = orders[role.id];
    if (!o) continue;
    if (o.exportTiers) {
      for (const r of rules.regions) {
        const t = o.exportTiers[r.id];
        if (t && t !== tiers[r.id]) { out.push({ role: role.id, setting: 'exportTier', region: r.id, from: tiers[r.id], to: t }); tiers[r.id] = t; }
      }
    }
    for (const id of scalars) {
      const to = o[id] as boolean | number | undefined, from = now.get(id);
      if (to !== undefined && from !== undefined && to !== from) { out.push({ role: role.id, setting: id, from, to }); now.set(id, to); }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// CSV

/** One CSV cell: numbers as given, text quoted when it must be and defused when a spreadsheet would run it as a formula. */
function cell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  // =, +, -, @ (and tab/CR) at the start make spreadsheets evaluate a cell: a player's name must never run
  // (a plain decimal number written as text, such as a tiny cost without exponent, is left alone)
  let s = /^[=+\-@\t\r]/.test(v) && !/^-?\d+(\.\d+)?$/.test(v) ? `'${v}` : v;
  if (/[",\r\n]/.test(s) || s !== s.trim()) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

/** RFC 4180: a header row, CRLF line ends, a final line end. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** A fixed number of decimals without trailing zeros or "-0". */
export function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = Math.round(x * f) / f;
  return Object.is(r, -0) ? 0 : r;
}

/** `digits` significant digits, written without an exponent (compute costs are tiny numbers of $B). */
export function significant(x: number, digits: number): number | string {
  if (x === 0 || !Number.isFinite(x)) return x;
  const r = Number(x.toPrecision(digits));
  const s = String(r);
  if (!/e/i.test(s)) return r;
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(r))));
  return r.toFixed(Math.min(100, decimals));
}

export const TIMELINE_COLUMNS = [
  'Turn', 'Quarter', 'Lead (months)',
  'Capability US (months)', 'Capability China (months)',
  'Safeguards US', 'Safeguards China',
  'Effective compute US (H100e)', 'Effective compute China (H100e)',
  'Compute cost US ($B per million H100e)', 'Compute cost China ($B per million H100e)',
  'Adoption US', 'Adoption China',
  'Incidents minor', 'Incidents major', 'Incidents catastrophic',
  'Ending', 'Scores',
] as const;

/** The ending's title and "role name score; ..." for the row the match ended on, else empty cells. */
function endingCells(record: MatchRecord): [string | null, string | null] {
  if (!record.ending || !record.scores) return [null, null];
  const scores = record.roles.map((r) => `${r.name} ${roundTo(record.scores![r.id] ?? 0, 1)}`).join('; ');
  return [record.ending.title, scores];
}

/**
 * One row per quarter (and the start): the numbers a debrief charts. From a public record the
 * sides' hidden numbers (lead, capability, safeguards, compute, cost) are left empty.
 */
export function timelineCsv(record: MatchRecord): string {
  const rows = record.full
    ? record.timeline.map((p) => [
      p.turn, p.label, roundTo(p.lead, 2),
      roundTo(p.capability.us, 2), roundTo(p.capability.china, 2),
      roundTo(p.safeguards.us, 3), roundTo(p.safeguards.china, 3),
      Math.round(p.effectiveCompute.us), Math.round(p.effectiveCompute.china),
      significant(p.computeCost.us, 4), significant(p.computeCost.china, 4),
      roundTo(p.adoption.us, 3), roundTo(p.adoption.china, 3),
      p.incidents.minor, p.incidents.major, p.incidents.catastrophic,
    ])
    : record.timeline.map((p) => [
      p.turn, p.label, null, null, null, null, null, null, null, null, null,
      roundTo(p.adoption.us, 3), roundTo(p.adoption.china, 3),
      p.incidents.minor, p.incidents.major, p.incidents.catastrophic,
    ]);
  // the ending and the scores go on the last row: the quarter the match ended on (early, or after the last quarter)
  const [ending, scores] = endingCells(record);
  for (const [i, row] of rows.entries()) row.push(i === rows.length - 1 ? ending : null, i === rows.length - 1 ? scores : null);
  return toCsv(TIMELINE_COLUMNS, rows);
}

export const DECISION_COLUMNS = ['Turn', 'Quarter', 'Role', 'Decision', '$B', 'From', 'To', 'Played by'] as const;

const SETTING_NAMES = Object.fromEntries([
  ['exportTier', 'Export tier'],
  ...SETTING_IDS.filter((id) => id !== 'exportTiers').map((id) => [id, setting(id).label]),
]) as Record<SettingChange['setting'], string>;

/**
 * One row per quarter × role × lever ($B spent), then a row per setting the role changed that quarter
 * (From → To); "Turn" is the record's turn (0 for the first quarter); "Played by" who made the order (agent, person,
 * referee, bot, previous: the record's playedBy). Once the match has ended, an "Ending" row (its title in "To") and a
 * "Score" row per role ("agent" in "Played by" when an agent seat held the role). A public record holds no orders, so it gives the header row alone.
 */
export function decisionsCsv(record: MatchRecord): string {
  if (!record.full) return toCsv(DECISION_COLUMNS, []);
  const regionName = new Map(record.regions.map((r) => [r.id, r.name]));
  const rows: (string | number | null)[][] = [];
  const settingValue = (v: SettingChange['from']) => (typeof v === 'boolean' ? (v ? 'on' : 'off') : typeof v === 'number' ? roundTo(v, 3) : v);
  for (const t of record.turns) {
    for (const role of record.roles) {
      const order = t.orders[role.id];
      if (!order) continue;
      // "agent" marks an order an agent seat made (its submission or its draft): a program's decision, disclosed
      const by = t.playedBy?.[role.id] ?? null;
      for (const lever of role.levers) rows.push([t.turn, t.quarter, role.name, lever.name, roundTo(order.spend[lever.id] ?? 0, 3), null, null, by]);
      for (const c of t.settingsChanges) {
        if (c.role !== role.id) continue;
        const what = c.setting === 'exportTier' ? `${SETTING_NAMES.exportTier}: ${regionName.get(c.region!) ?? c.region}` : SETTING_NAMES[c.setting];
        rows.push([t.turn, t.quarter, role.name, what, null, settingValue(c.from), settingValue(c.to), by]);
      }
    }
  }
  // how it ended: the ending's title, then each role's score (in "To"), on the turn the match ended at
  if (record.ending && record.scores) {
    const turn = record.current.turn;
    const quarter = record.current.quarter;
    rows.push([turn, quarter, null, 'Ending', null, null, record.ending.title, null]);
    // a score row says "agent" when an agent seat held the role at the end
    const heldByAgent = new Set(record.people.filter((p) => p.agent && !p.removed && p.role).map((p) => p.role));
    for (const role of record.roles) rows.push([turn, quarter, role.name, 'Score', null, null, roundTo(record.scores[role.id] ?? 0, 3), heldByAgent.has(role.id) ? 'agent' : null]);
  }
  return toCsv(DECISION_COLUMNS, rows);
}
