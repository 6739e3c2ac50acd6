// The outcome's data: the ending, scores, true timeline, events and decisions, from the last snapshot or from the match record.
import { setting } from '../../shared/rules/settings.ts';
import { leadMonths } from '../../shared/engine/state.ts';
import { publicView } from '../../shared/engine/views.ts';
import type { Snapshot, TimelinePoint, FeedEvent, RuleFile, PublicWorld, MatchRecord, MatchState } from '../net/types.ts';

export interface OutcomeData {
  code: string;
  ending: { id: string; title: string; text: string; scores: Record<string, number> } | null;
  endReason: string | null;
  /** true numbers of both sides, quarter by quarter (null when only the press's view is known) */
  timeline: TimelinePoint[] | null;
  events: FeedEvent[];
  world: PublicWorld | null;
  /** settings changes per quarter, from the full record */
  decisions: { turn: number; text: string }[];
}

export function outcomeFromSnapshot(code: string, role: string | null, s: Snapshot): OutcomeData {
  const pub = s.publicDoc;
  const team = role ? s.teams[role] : undefined;
  return {
    code,
    ending: pub?.view.world.ending ?? null,
    endReason: null,
    timeline: pub?.view.finalTimeline ?? s.desk?.state?.timeline ?? null,
    events: team?.feed ?? pub?.events ?? [],
    world: pub?.view.world ?? null,
    decisions: [],
  };
}

/** The world at the end from the full record: the engine's public view, with the true lead (the match is over, nothing is secret). */
function worldFromState(rules: RuleFile, st: MatchState): PublicWorld {
  const lead = leadMonths(st);
  return { ...publicView(rules, st).world, pressLead: { value: lead, low: lead, high: lead } };
}

function decisionsOf(rules: RuleFile, record: MatchRecord): OutcomeData['decisions'] {
  if (!record.full) return [];
  const name = (id: string) => rules.roles.find((r) => r.id === id)?.name ?? id;
  const region = (id?: string) => rules.regions.find((r) => r.id === id)?.name ?? id;
  return record.turns.flatMap((t) => t.settingsChanges.map((c) => ({
    turn: t.turn,
    text: c.setting === 'exportTier' ? `${name(c.role)} moved ${region(c.region)} from ${c.from} to ${c.to}`
      : `${name(c.role)} turned ${setting(c.setting).words} ${c.to === true ? 'on' : c.to === false ? 'off' : String(c.to)}`,
  })));
}

export function outcomeFromRecord(rules: RuleFile, record: MatchRecord): OutcomeData {
  const events: FeedEvent[] = record.turns.flatMap((t) => t.events.map((e) => ({ ...e, turn: t.turn })));
  return {
    code: record.code,
    ending: record.ending,
    endReason: record.endReason,
    timeline: record.full ? record.timeline : record.view.finalTimeline,
    events,
    world: record.full ? worldFromState(rules, record.state) : record.view.world,
    decisions: decisionsOf(rules, record),
  };
}

export interface TurningPoint { turn: number; label: string; leadChange: number; incidents: string[]; why: number }

/** The quarters that moved the lead or the risk most: the debrief's talking points. */
export function turningPoints(timeline: TimelinePoint[], count = 4): TurningPoint[] {
  if (timeline.length < 2) return [];
  const deltas = timeline.slice(1).map((p, i) => p.lead - timeline[i].lead);
  const mean = deltas.reduce((a, b) => a + b, 0) / deltas.length;
  const points: TurningPoint[] = timeline.slice(1).map((p, i) => {
    const prev = timeline[i];
    const inc: string[] = [];
    const dMinor = p.incidents.minor - prev.incidents.minor, dMajor = p.incidents.major - prev.incidents.major, dCat = p.incidents.catastrophic - prev.incidents.catastrophic;
    if (dCat) inc.push(`${dCat} catastrophic incident`);
    if (dMajor) inc.push(`${dMajor} major incident${dMajor > 1 ? 's' : ''}`);
    if (dMinor) inc.push(`${dMinor} minor incident${dMinor > 1 ? 's' : ''}`);
    const sg = Math.abs(p.safeguards.us - prev.safeguards.us) + Math.abs(p.safeguards.china - prev.safeguards.china);
    return { turn: p.turn, label: p.label, leadChange: deltas[i], incidents: inc, why: Math.abs(deltas[i] - mean) + dCat * 20 + dMajor * 4 + dMinor + sg * 10 };
  });
  return points.sort((a, b) => b.why - a.why).slice(0, count).sort((a, b) => a.turn - b.turn);
}

/** The outcome from the live room, completed by the full record where the room did not carry it (the decisions, why it ended). */
export function withRecord(data: OutcomeData, fromRecord: OutcomeData): OutcomeData {
  return {
    ...data,
    timeline: data.timeline ?? fromRecord.timeline,
    decisions: fromRecord.decisions,
    endReason: fromRecord.endReason,
    ending: data.ending ?? fromRecord.ending,
    events: data.events.length ? data.events : fromRecord.events,
  };
}
