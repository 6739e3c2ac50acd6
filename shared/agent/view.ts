// What an agent seat sees (GET /api/agents/view): the role's view (rival only as estimates) plus its legal actions spelled out.
import type { Match } from '../match/match.ts';
import { botPlays, chatVisibleTo, members, roleName } from '../match/match.ts';
import { PHASES, readyAllowed } from '../match/phases.ts';
import { INVALID_SUBMITS_PER_QUARTER, invalidSubmits, refereeHandedOver } from '../match/referee.ts';
import { roleView, eventsFor, type RoleView } from '../engine/views.ts';
import { proposalBlocked } from '../engine/diplomacy.ts';
import { ruleIndex } from '../engine/ruleIndex.ts';
import { EXPORT_TIERS } from '../rules/schema.ts';
import type { Order, TurnEvent } from '../engine/state.ts';
import { completeOrder } from '../match/orders.ts';
import type { Phase } from '../protocol/match.ts';

export interface LeverChoice { id: string; name: string; help: string; unit: '$B'; min: 0; max: number; last: number }
export interface SettingChoice { key: string; help: string; allowed: string; current: unknown; example: unknown }
export interface ActionChoice { type: string; allowedNow: boolean; why: string; example: unknown }

export interface AgentView {
  /** changes when the phase or the quarter does: pass it to /api/agents/wait?after= */
  stamp: string;
  match: { code: string; title: string; mode: 'class' | 'online'; phase: Phase; turn: number; turns: number; quarter: string; paused: boolean; deadline: string | null; secondsLeft: number | null; onTimeout: string };
  you: { personId: string; name: string; role: string; roleName: string; side: string; agent: boolean };
  teams: { role: string; name: string; side: string; bot: boolean; ready: boolean; submitted: boolean; people: { name: string; agent: boolean; connected: boolean }[] }[];
  /** the role's view: own numbers exact, the rival's only as estimates {value, low, high} */
  view: RoleView & { lastOrder: Order | null };
  team: { draft: Order | null; submitted: Order | null; ready: boolean };
  legal: {
    actions: ActionChoice[];
    order: { budget: number; carriedOver: number; carryOverShare: number; spendRule: string; levers: LeverChoice[]; settings: SettingChoice[]; dilemmas: { cardId: string; title: string; text: string; options: { id: string; label: string }[]; default: string }[]; example: Order };
    proposals: { youMayPropose: { proposalId: string; title: string; text: string; to: string }[]; waitingForYourAnswer: { key: number; proposalId: string; title: string; from: string; ratify: boolean }[]; yoursWaiting: { key: number; proposalId: string; to: string }[] };
    chatChannels: string[];
  };
  referee: { invalidSubmitsThisQuarter: number; limit: number; botPlaysThisQuarter: boolean };
  /** what happened last quarter, as your side saw it */
  lastQuarter: { turn: number; events: TurnEvent[] } | null;
  chat: { at: string; from: string; fromRole: string | null; to: string; text: string }[];
}

const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;

function onTimeout(m: Match, role: string): string {
  const phase = m.phase;
  if (phase === 'orders') return `when the deadline passes, your team's draft is submitted for you, or your bot's order if there is no draft (the referee logs it)`;
  if (PHASES[phase].waitsFor === 'ready') return phase === 'lobby' ? 'the match starts when every seated team is ready (online) or the facilitator starts it (class)' : `the match moves on to the next phase when the deadline passes, or as soon as every team is ready`;
  if (phase === 'ended') return 'nothing: the match is over';
  return `nothing is asked of ${roleName(m, role)} now`;
}

/** The agent's whole view; pure (the time is an argument), safe to send: it holds nothing the role may not see. */
export function agentView(m: Match, personId: string, now: number, code: string): AgentView {
  const person = m.people.get(personId)!;
  const roleId = person.role!;
  const rules = m.rules;
  const role = ruleIndex(rules).role[roleId]!;
  const state = m.state;
  const team = m.teams[roleId];
  const last = m.quarters[m.quarters.length - 1];
  const lastOrder = last?.orders[roleId] && last.before ? completeOrder(rules, last.before, roleId, last.orders[roleId]) : null;
  const view = { ...roleView(rules, state, roleId), lastOrder };
  const budget = view.budget;
  const phase = m.phase;
  const { endsAt, remaining } = m.timer;
  const deadline = endsAt && !m.paused ? endsAt : 0;

  const levers: LeverChoice[] = role.levers.map((l) => ({ id: l.id, name: l.name, help: l.help, unit: '$B', min: 0, max: round(budget), last: round(lastOrder?.spend[l.id] ?? 0) }));
  const hub = rules.regions.find((r) => r.alignment === 'tier2');
  const settings: SettingChoice[] = [];
  for (const s of role.settings) {
    if (s === 'exportTiers') settings.push({ key: 'exportTiers', help: 'export tier of US-aligned chips per region (leave a region out to keep its tier)', allowed: `a map from region id (${rules.regions.map((r) => r.id).join(', ')}) to one of ${EXPORT_TIERS.join(', ')}`, current: Object.fromEntries(rules.regions.map((r) => [r.id, state.regions[r.id].tier])), example: { [rules.regions[0].id]: 'licensed' } });
    if (s === 'globalLicensing') settings.push({ key: 'globalLicensing', help: 'require licences for advanced chips worldwide', allowed: 'true or false', current: state.globalLicensing, example: !state.globalLicensing });
    if (s === 'openWeights') settings.push({ key: 'openWeights', help: 'release your models as open weights', allowed: 'true or false', current: state.openWeights, example: !state.openWeights });
    if (s === 'hubCompliance' && hub) settings.push({ key: 'hubCompliance', help: `how well ${hub.name} follows US licensing`, allowed: 'a number from 0 to 1', current: round(state.regions[hub.id].compliance), example: 0.8 });
  }
  // an example that is legal now: last quarter's split scaled into this budget, or an even split
  const lastTotal = lastOrder ? Object.values(lastOrder.spend).reduce((a, b) => a + b, 0) : 0;
  const spend: Record<string, number> = {};
  for (const l of role.levers) spend[l.id] = Math.floor((lastTotal > 0 ? ((lastOrder!.spend[l.id] ?? 0) / lastTotal) * budget : budget / role.levers.length) * 1000) / 1000;
  const example: Order = { spend };
  const dilemmas = view.dilemmas.map((d) => ({ ...d, options: d.options.map((o) => ({ ...o })) }));
  if (dilemmas.length) example.dilemmas = Object.fromEntries(dilemmas.map((d) => [d.cardId, d.default]));

  const otherRoles = rules.roles.filter((r) => r.id !== roleId);
  const youMayPropose = PHASES[phase].inQuarter ? rules.proposals.flatMap((p) => otherRoles.filter((to) => !proposalBlocked(rules, state, p.id, roleId, to.id)).map((to) => ({ proposalId: p.id, title: p.title, text: p.text, to: to.id }))) : [];
  const waitingForYourAnswer = state.pending.filter((p) => p.to === roleId).map((p) => ({ key: p.key, proposalId: p.proposalId, title: ruleIndex(rules).proposal[p.proposalId]?.title ?? p.proposalId, from: p.from, ratify: !!p.ratify }));
  const yoursWaiting = state.pending.filter((p) => p.from === roleId).map((p) => ({ key: p.key, proposalId: p.proposalId, to: p.to }));
  const chatChannels = ['all', ...(m.settings.mode === 'class' ? ['facilitator'] : []), ...otherRoles.map((r) => r.id)];
  const handed = refereeHandedOver(m, roleId);
  const ordersOpen = PHASES[phase].waitsFor === 'submit' && !handed;
  const actions: ActionChoice[] = [
    { type: 'submit', allowedNow: ordersOpen, why: ordersOpen ? 'the orders phase is open: submit your order (the last submit before resolution counts)' : handed ? 'the bot plays this quarter (three invalid submissions)' : `orders open after the negotiation; it is now the ${phase}`, example: { type: 'submit', payload: { order: example } } },
    { type: 'unsubmit', allowedNow: ordersOpen && !!team.submitted, why: team.submitted ? 'take your submission back to change it' : 'you have not submitted', example: { type: 'unsubmit', payload: {} } },
    { type: 'draft', allowedNow: PHASES[phase].inQuarter && !team.submitted, why: 'save a draft your team sees; at the orders deadline an unsubmitted draft is submitted for you', example: { type: 'draft', payload: { order: example } } },
    { type: 'ready', allowedNow: readyAllowed(phase, m.settings.mode), why: readyAllowed(phase, m.settings.mode) ? `say your team is done with the ${phase}; the phase moves on when every team is` : `there is nothing to be ready for in the ${phase}`, example: { type: 'ready', payload: { ready: true } } },
    { type: 'propose', allowedNow: youMayPropose.length > 0, why: youMayPropose.length ? 'offer one of legal.proposals.youMayPropose' : 'no proposal is open to you now', example: { type: 'propose', payload: youMayPropose[0] ? { proposalId: youMayPropose[0].proposalId, to: youMayPropose[0].to } : { proposalId: rules.proposals[0]?.id ?? 'id', to: otherRoles[0].id } } },
    { type: 'respond', allowedNow: waitingForYourAnswer.length > 0, why: waitingForYourAnswer.length ? 'answer a proposal in legal.proposals.waitingForYourAnswer by its key' : 'no proposal waits for your answer', example: { type: 'respond', payload: { key: waitingForYourAnswer[0]?.key ?? 1, accept: true } } },
    { type: 'chat', allowedNow: phase !== 'ended', why: `write to one of ${chatChannels.join(', ')}`, example: { type: 'chat', payload: { to: 'all', text: 'We propose a safety dialogue.' } } },
  ];

  const side = role.side;
  const lastEvents = last ? { turn: last.turn, events: eventsFor(m.feed.find((f) => f.turn === last.turn)?.events ?? [], side) } : null;
  return {
    stamp: `${state.turn}:${phase}`,
    match: {
      code, title: rules.name, mode: m.settings.mode, phase, turn: state.turn, turns: rules.calendar.turns, quarter: view.world.quarter, paused: m.paused,
      deadline: deadline ? new Date(deadline).toISOString() : null,
      secondsLeft: deadline ? Math.max(0, Math.round((deadline - now) / 1000)) : m.paused && remaining ? Math.round(remaining / 1000) : null,
      onTimeout: onTimeout(m, roleId),
    },
    you: { personId, name: person.name, role: roleId, roleName: role.name, side, agent: person.agent },
    teams: rules.roles.map((r) => ({ role: r.id, name: r.name, side: r.side, bot: botPlays(m, r.id, now), ready: m.teams[r.id].ready, submitted: m.teams[r.id].submitted !== null, people: members(m, r.id).map((p) => ({ name: p.name, agent: p.agent, connected: p.connected })) })),
    view,
    team: { draft: team.draft, submitted: team.submitted, ready: team.ready },
    legal: {
      actions,
      order: { budget: round(budget), carriedOver: round(state.roles[roleId].bank), carryOverShare: role.budget.carryOver, spendRule: `spend is $B per lever id, each at least 0, together at most the budget ($${round(budget)}B); levers left out get 0; ${Math.round(role.budget.carryOver * 100)}% of what you leave unspent carries over to next quarter`, levers, settings, dilemmas, example },
      proposals: { youMayPropose, waitingForYourAnswer, yoursWaiting },
      chatChannels,
    },
    referee: { invalidSubmitsThisQuarter: invalidSubmits(m, roleId), limit: INVALID_SUBMITS_PER_QUARTER, botPlaysThisQuarter: handed },
    lastQuarter: lastEvents,
    chat: m.chat.filter((c) => chatVisibleTo(m, c, { role: roleId, facilitator: false })).slice(-20).map((c) => ({ at: c.at, from: c.fromName, fromRole: c.fromRole, to: c.to, text: c.text })),
  };
}
