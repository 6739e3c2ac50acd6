// Referee rules for agent seats and the agent's text view, without a server: strikes, hand-over, missed deadlines.
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { matchTable } from '../helpers/match-table.ts';
import { newMatch, botPlays } from '../../shared/match/match.ts';
import { apply } from '../../shared/match/apply.ts';
import { decide, type Actor } from '../../shared/match/decide.ts';
import { invalidSubmit, refereeAtDeadline, refereeRefusal, invalidSubmits, INVALID_SUBMITS_PER_QUARTER } from '../../shared/match/referee.ts';
import { agentView } from '../../shared/agent/view.ts';
import { textView } from '../../shared/agent/text-view.ts';
import type { MatchSettings } from '../../shared/match/settings.ts';

const rules = defaultRules();
const SETTINGS: MatchSettings = { mode: 'class', visibility: 'private', rulesName: 'default.yaml', seats: { usGov: 1, usLab: 0, cnGov: 1, cnLab: 0 }, bots: {}, timers: { briefing: 60, negotiation: 60, orders: 60, report: 60 }, botTakeoverSeconds: 120, agents: true };
const T0 = Date.UTC(2026, 0, 1);
const bot: Actor = { personId: 'bot1', role: 'cnGov', facilitator: false, spectator: false };
const ana: Actor = { personId: 'ana', role: 'usGov', facilitator: false, spectator: false };

function table() {
  const { m, log, put } = matchTable(SETTINGS, rules, 7, [
    { kind: 'person', personId: 'bot1', name: 'Claude', role: 'cnGov', spectator: false, tokenHash: 'h1', agent: true },
    { kind: 'person', personId: 'ana', name: 'Ana', role: 'usGov', spectator: false, tokenHash: 'h2' },
  ], T0);
  put([{ kind: 'start' }, { kind: 'phase', phase: 'negotiation', turn: 0 }, { kind: 'phase', phase: 'orders', turn: 0 }]);
  return { m, log, put };
}

const tooMuch = { type: 'submit', payload: { order: { spend: { greyMarket: 1e6 } } } } as const;

describe('referee rules for agent seats', () => {
  it('count an agent\'s invalid submissions and hand the quarter to the bot at the third, all in the log', () => {
    const { m, log, put } = table();
    for (let i = 1; i <= INVALID_SUBMITS_PER_QUARTER; i++) {
      const d = decide(m, bot, tooMuch, T0, { maxChatChars: 500 });
      expect('refusal' in d).toBe(true);
      if (!('refusal' in d)) return;
      put(invalidSubmit(m, bot, d.refusal));
      expect(invalidSubmits(m, 'cnGov')).toBe(i);
      expect(botPlays(m, 'cnGov', T0)).toBe(i >= INVALID_SUBMITS_PER_QUARTER);
    }
    expect(log.filter((e) => e.entry.kind === 'referee')).toHaveLength(3);
    expect(refereeRefusal(m, bot, 'submit')?.code).toBe('not-allowed');
    // the match rebuilt from its log agrees (the record, a restart)
    const again = newMatch(SETTINGS, rules, 7);
    for (const e of log) apply(again, e);
    expect(botPlays(again, 'cnGov', T0)).toBe(true);
  });

  it('leave people alone: a person\'s invalid submission is not counted', () => {
    const { m } = table();
    const d = decide(m, ana, { type: 'submit', payload: { order: { spend: { bis: 1e6 } } } }, T0, { maxChatChars: 500 });
    expect('refusal' in d && invalidSubmit(m, ana, d.refusal)).toEqual([]);
  });

  it('submit the draft, or the bot\'s order without one, when an agent misses the orders deadline', () => {
    const { m, put } = table();
    expect(refereeAtDeadline(m, T0)).toEqual([]); // not yet
    const late = m.timer.endsAt + 1;
    const noDraft = refereeAtDeadline(m, late);
    expect(noDraft.map((e) => e.kind)).toEqual(['referee', 'submit']); // only the agent's team, not Ana's
    expect(noDraft[1]).toMatchObject({ role: 'cnGov', by: 'referee' });
    put([{ kind: 'draft', turn: 0, role: 'cnGov', order: { spend: { greyMarket: 0.5 } }, by: 'bot1' }]);
    const withDraft = refereeAtDeadline(m, late);
    expect(withDraft[1]).toMatchObject({ kind: 'submit', order: { spend: { greyMarket: 0.5 } } });
    expect(withDraft[0]).toMatchObject({ kind: 'referee', rule: 'missed-deadline' });
  });
});

describe('the agent text view', () => {
  it('says the phase, the rival as ranges, the levers with their limits and the allowed actions', () => {
    const { m } = table();
    const v = agentView(m, 'bot1', T0 + 1000, 'ABCDEF');
    const text = textView(v);
    expect(text).toMatch(/phase: orders/);
    expect(text).toMatch(/Rival \(estimates only\)/);
    expect(text).toMatch(/likely .* to /);
    for (const l of v.legal.order.levers) expect(text).toContain(`${l.id} (${l.name}): $0 to $`);
    expect(text).toMatch(/- submit: /);
    expect(text).toContain(`stamp ${v.stamp}`);
    expect(textView(v)).toBe(text); // pure
  });

  it('counts quarters to the last one and, once the match is over, none past it', () => {
    const { m } = table();
    const v = agentView(m, 'bot1', T0 + 1000, 'ABCDEF');
    expect(textView(v)).toContain(`(quarter 1 of ${rules.calendar.turns})`);
    const over = { ...v, match: { ...v.match, phase: 'ended' as const, turn: rules.calendar.turns } };
    const text = textView(over);
    expect(text).not.toMatch(/quarter \d+ of/);
    expect(text).toContain(`(after the last of ${rules.calendar.turns} quarters), phase: ended`);
  });
});
