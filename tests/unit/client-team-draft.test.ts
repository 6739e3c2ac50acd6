// The team draft controller (client/app/team-draft.ts): merging a team-mate's draft, the budget, sharing, submit and the forecast, without a browser.
import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { initialState } from '../../shared/engine/setup.ts';
import { roleView } from '../../shared/engine/views.ts';
import { TeamDraft, fitOrderToBudget, SHARE_DELAY, FORECAST_DELAY, type DraftPort, type DraftChange, type DraftNotice } from '../../client/app/team-draft.ts';
import type { ActionResult } from '../../client/net/session.ts';
import type { Snapshot, TeamDocs, Order, Phase } from '../../client/net/types.ts';

const rules = defaultRules();
const state = initialState(rules, 4);

/** The server's side of the conversation, as the draft sees it: what was sent, and the answers to give. */
class Port implements DraftPort {
  sent: Order[] = [];
  acts: { type: string; payload: unknown }[] = [];
  answer: ActionResult = { ok: true };
  send(_type: 'draft', payload: { order: Order }): void { this.sent.push(JSON.parse(JSON.stringify(payload.order))); }
  act: DraftPort['act'] = (type, payload) => {
    this.acts.push({ type, payload });
    return Promise.resolve(this.answer);
  };
}

function snapshot(phase: Phase, team: TeamDocs, turn = 0): Snapshot {
  return {
    code: 'ABCDEF', mode: 'online', title: 't', rulesName: rules.name, phase, turn, turns: 10, quarter: 'Q3 2026',
    paused: false, phaseEndsAt: 0, phaseRemaining: 0, endingId: '',
    roles: rules.roles.map((r) => ({ id: r.id, name: r.name, side: r.side, kind: r.kind, seats: 1, people: 1, connected: 1, bot: false, botPersonality: '', ready: false, submitted: !!team.submitted && r.id === team.role, drafting: false })),
    people: [], publicDoc: null, teams: { [team.role]: team }, desk: null,
  };
}

function teamDocs(role: string, draft: Order | null = null, extra: Partial<TeamDocs> = {}): TeamDocs {
  return { role, view: { ...roleView(rules, state, role), lastOrder: null }, feed: [], draft, draftBy: draft ? 'Ada' : '', submitted: null, submittedBy: '', lead: '', activity: [], chat: [], ...extra };
}

describe('TeamDraft', () => {
  let port: Port;
  let draft: TeamDraft;
  let changes: DraftChange[];
  let notices: DraftNotice[];
  beforeEach(() => {
    vi.useFakeTimers();
    port = new Port();
    draft = new TeamDraft(rules, 'usLab', port);
    changes = [];
    notices = [];
    draft.onChange.on((c) => changes.push(c));
    draft.onNotice.on((n) => notices.push(n));
  });
  afterEach(() => { draft.destroy(); vi.useRealTimers(); });

  it('starts a quarter from the 2026 split of the budget, within the budget', () => {
    draft.update(snapshot('briefing', teamDocs('usLab')), teamDocs('usLab'));
    expect(changes[0]).toBe('quarter');
    const role = rules.roles.find((r) => r.id === 'usLab')!;
    for (const l of role.levers) expect(draft.local.spend[l.id]).toBeCloseTo(draft.budget * l.statusQuo, 2);
    expect(draft.overBudget()).toBeLessThanOrEqual(0);
    expect(draft.editable).toBe(true);
  });

  it('shares an edit once the typing pauses, and a finished edit at once', () => {
    const team = teamDocs('usLab');
    draft.update(snapshot('briefing', team), team);
    draft.setLever('training', 1);
    draft.setLever('training', 2);
    expect(draft.draftStatus()).toMatch(/Saving/);
    vi.advanceTimersByTime(SHARE_DELAY.typing - 1);
    expect(port.sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(port.sent.map((o) => o.spend.training)).toEqual([2]);
    draft.setLever('training', 3, true);
    vi.advanceTimersByTime(SHARE_DELAY.now);
    expect(port.sent.map((o) => o.spend.training)).toEqual([2, 3]);
  });

  it('shares nothing over budget and says so; the forecast waits for a plan that fits', () => {
    const team = teamDocs('usLab');
    draft.update(snapshot('orders', team), team);
    draft.setLever('training', draft.budget + 5, true);
    vi.advanceTimersByTime(SHARE_DELAY.typing + FORECAST_DELAY);
    expect(port.sent).toEqual([]);
    expect(draft.overBudget()).toBeGreaterThan(0);
    expect(draft.draftStatus()).toBe('Not saved: over budget.');
    expect(draft.actions()).toMatchObject({ kind: 'submit', over: true, busy: false });
    expect(draft.forecast).toEqual({ kind: 'over' });
  });

  it('takes a team-mate\'s draft, but not while an edit here waits to go out', () => {
    const team = teamDocs('usLab');
    draft.update(snapshot('briefing', team), team);
    const theirs: Order = { spend: { ...draft.local.spend, safety: 0.5 } };
    draft.update(snapshot('briefing', teamDocs('usLab', theirs)), teamDocs('usLab', theirs));
    expect(draft.local.spend.safety).toBe(0.5);
    expect(changes).toContain('remote');
    draft.setLever('training', 1);
    const later: Order = { spend: { ...theirs.spend, safety: 0.7 } };
    draft.update(snapshot('briefing', teamDocs('usLab', later)), teamDocs('usLab', later));
    expect(draft.local.spend.training).toBe(1);
    expect(draft.local.spend.safety).toBe(0.5);
  });

  it('keeps its own edit when the server echoes it back', () => {
    const team = teamDocs('usLab');
    draft.update(snapshot('briefing', team), team);
    draft.setLever('training', 1.25, true);
    vi.advanceTimersByTime(SHARE_DELAY.now);
    const echoed = port.sent[0];
    changes = [];
    draft.update(snapshot('briefing', teamDocs('usLab', echoed)), teamDocs('usLab', echoed));
    expect(changes).not.toContain('remote');
    expect(draft.draftStatus()).toMatch(/Team draft saved/);
  });

  it('submits a plan that fits and tells the result; a refusal is shown with its details', async () => {
    const team = teamDocs('usLab');
    draft.update(snapshot('orders', team), team);
    await draft.submit();
    expect(port.acts.map((a) => a.type)).toEqual(['submit']);
    expect(notices).toEqual([{ tone: 'ok', message: 'Order submitted.', announce: true }]);
    port.answer = { ok: false, message: 'the orders phase is over', details: ['late'] };
    await draft.submit();
    expect(notices[1]).toEqual({ tone: 'error', message: 'the orders phase is over', details: ['late'] });
    expect(draft.busy).toBe(false);
  });

  it('refuses to submit over budget without asking the server', async () => {
    const team = teamDocs('usLab');
    draft.update(snapshot('orders', team), team);
    draft.applyPreset('clear');
    draft.setLever('training', draft.budget + 1, true);
    await draft.submit();
    expect(port.acts).toEqual([]);
    expect(notices[0].tone).toBe('error');
    expect(notices[0].message).toMatch(/^Over budget by \$1\.00B/);
  });

  it('locks the plan once submitted and offers to take it back', () => {
    const team = teamDocs('usLab', null, { submitted: { spend: { training: 1 } } });
    draft.update(snapshot('orders', team), team);
    expect(draft.editable).toBe(false);
    expect(draft.actions()).toMatchObject({ kind: 'submitted', busy: false, lead: true });
    draft.setLever('training', 2, true);
    vi.advanceTimersByTime(SHARE_DELAY.typing);
    expect(port.sent).toEqual([]);
  });

  it('offers Submit to the lead alone, credits the submitter, and tells the team of a take-back', () => {
    const people = [{ id: 'ana', name: 'Ana', role: 'usLab', spectator: false, agent: false, connected: true }, { id: 'bo', name: 'Bo', role: 'usLab', spectator: false, agent: false, connected: true }];
    const at = (phase: Phase, team: TeamDocs) => ({ ...snapshot(phase, team), people });
    draft.me = 'bo';
    const submitted = teamDocs('usLab', { spend: { training: 1 } }, { submitted: { spend: { training: 1 } }, submittedBy: 'Ana', lead: 'ana', activity: [{ kind: 'submit', seq: 5, at: '', by: 'ana', byName: 'Ana', changed: [] }] });
    draft.update(at('orders', submitted), submitted);
    expect(draft.actions()).toMatchObject({ kind: 'submitted', lead: false, leadName: 'Ana', by: 'Ana' });
    expect(draft.draftStatus()).toBe('Submitted by Ana. Only the lead (Ana) can take it back.');
    expect(notices).toEqual([]);
    const back = teamDocs('usLab', { spend: { training: 1 } }, { lead: 'ana', activity: [...submitted.activity, { kind: 'unsubmit', seq: 6, at: '', by: 'ana', byName: 'Ana' }] });
    draft.update(at('orders', back), back);
    expect(notices.map((n) => n.message)).toEqual(['Ana took the team\'s order back to edit it.']);
    expect(draft.actions()).toMatchObject({ kind: 'submit', lead: false });
    expect(draft.changeLog()).toEqual(['Ana took the order back to edit', 'Ana submitted the order']);
    // the lead gone, anyone on the team may submit
    draft.update({ ...at('orders', back), people: [{ ...people[0], connected: false }, people[1]] }, back);
    expect(draft.actions()).toMatchObject({ kind: 'submit', lead: true });
  });

  it('offers "ready" outside the orders phase', async () => {
    const team = teamDocs('usLab');
    draft.update(snapshot('negotiation', team), team);
    expect(draft.actions()).toEqual({ kind: 'ready', phase: 'negotiation', ready: false, busy: false });
    await draft.setReady(true);
    expect(port.acts).toEqual([{ type: 'ready', payload: { ready: true } }]);
  });

  it('shares a setting at once and a dragged one after the pause', () => {
    const team = teamDocs('usGov');
    const gov = new TeamDraft(rules, 'usGov', port);
    gov.update(snapshot('briefing', team), team);
    gov.setTier('china', 'licensed');
    vi.advanceTimersByTime(SHARE_DELAY.now);
    expect(port.sent.at(-1)?.exportTiers?.china).toBe('licensed');
    expect(gov.tierOf('china')).toBe('licensed');
    gov.setGlobalLicensing(true);
    vi.advanceTimersByTime(SHARE_DELAY.now);
    expect(port.sent.at(-1)?.globalLicensing).toBe(true);
    gov.destroy();
  });

  it('forecasts the quarter with the engine once the edits pause', () => {
    const team = teamDocs('usLab');
    draft.update(snapshot('briefing', team), team);
    vi.advanceTimersByTime(FORECAST_DELAY);
    expect(changes).toContain('forecast');
    expect(draft.forecast.kind).toBe('ready');
    if (draft.forecast.kind === 'ready') expect(draft.forecast.forecast.capability.value).toBeGreaterThan(0);
  });

  it('repeats last quarter\'s order scaled down to a smaller budget', () => {
    const order: Order = { spend: { a: 6, b: 4 } };
    const fitted = fitOrderToBudget(order, 5);
    expect(fitted.spend).toEqual({ a: 3, b: 2 });
    expect(order.spend).toEqual({ a: 6, b: 4 });
  });
});
