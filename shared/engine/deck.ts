// The event deck: each quarter, cards whose conditions hold are drawn by weight and applied.
import type { RuleFile, EventCard } from '../rules/schema.ts';
import type { MatchState, TurnEvent } from './state.ts';
import { allHold, allHoldCompiled, applyEffects, compiled, type CompiledCondition } from './stats.ts';
import type { Rng } from './rng.ts';
import { ruleIndex } from './ruleIndex.ts';
import { cloneState } from './setup.ts';
import { say } from './format.ts';
import { deckTest, type DeckTest } from './conditionCode.ts';

/** Cards of the quarter's draw whose conditions hold (crises fire on their own, not by draw). */
export function eligibleCards(rules: RuleFile, state: MatchState) {
  return rules.events.filter((c) => eligible(rules, state, c));
}

function eligible(rules: RuleFile, state: MatchState, c: EventCard): boolean {
  return !c.crisis && (c.repeatable || !state.drawnEvents.includes(c.id)) && allHold(rules, state, c.when);
}

/** The side that sees a card: a dilemma is its role's side's business alone. */
export function cardVisibleTo(rules: RuleFile, cardId: string): TurnEvent['visibleTo'] {
  const card = ruleIndex(rules).card[cardId];
  if (!card) return 'all';
  return card.dilemma ? ruleIndex(rules).role[card.dilemma.role]?.side ?? card.visibleTo : card.visibleTo;
}

/** Applies one card's effects (and puts its dilemma to its role); used by the draw and by a facilitator's injected event. */
export function playCard(rules: RuleFile, state: MatchState, cardId: string, events: TurnEvent[]): boolean {
  const card = ruleIndex(rules).card[cardId];
  if (!card) return false;
  playIndexed(rules, state, card, events);
  return true;
}

/** playCard for the card the index holds under its id (what cardVisibleTo reads is then this card). */
function playIndexed(rules: RuleFile, state: MatchState, card: EventCard, events: TurnEvent[]): void {
  applyEffects(state, card.effects);
  if (!card.repeatable && !state.drawnEvents.includes(card.id)) state.drawnEvents.push(card.id);
  const dilemma = card.dilemma;
  const role = dilemma ? ruleIndex(rules).role[dilemma.role] : undefined;
  if (dilemma && role && !putAlready(state, card.id)) state.dilemmas.push({ cardId: card.id, role: dilemma.role, turn: state.turn });
  const visibleTo = dilemma ? role?.side ?? card.visibleTo : card.visibleTo;
  events.push({ kind: card.crisis ? 'crisis' : dilemma ? 'dilemma' : 'event', title: card.title, text: card.text, visibleTo, ref: card.id });
}

function putAlready(state: MatchState, cardId: string): boolean {
  for (let i = 0; i < state.dilemmas.length; i++) if (state.dilemmas[i].cardId === cardId) return true;
  return false;
}

/** Threshold crises: every crisis card whose conditions hold fires now. */
export function fireCrises(rules: RuleFile, state: MatchState, events: TurnEvent[]): void {
  fireCrisesWith(rules, state, events, deckLookups(rules.events));
}

/** fireCrises for a caller that holds the deck's lookups already (the draw). */
function fireCrisesWith(rules: RuleFile, state: MatchState, events: TurnEvent[], lookups: DeckLookups): void {
  const deck = rules.events;
  const { compiled: when, position, crisisAt, repeatable } = lookups;
  // by deck position, from the deck's compiled conditions and the drawn mask, when the index's crises are the deck's
  if (position && sameCrises(ruleIndex(rules).crises, deck, crisisAt)) {
    for (let j = 0; j < crisisAt.length; j++) {
      const k = crisisAt[j];
      if ((repeatable[k] || !drawnMask(deck, position, state.drawnEvents)[k]) && allHoldCompiled(rules, state, when[k])) playCard(rules, state, deck[k].id, events);
    }
    return;
  }
  for (const c of ruleIndex(rules).crises) {
    if ((c.repeatable || !state.drawnEvents.includes(c.id)) && allHold(rules, state, c.when)) playCard(rules, state, c.id, events);
  }
}

/** The answer a role's order gives to a dilemma, or the card's default when it gives none (or a wrong one). */
export function dilemmaAnswer(rules: RuleFile, cardId: string, answers: Record<string, string> | undefined): string | undefined {
  const d = ruleIndex(rules).card[cardId]?.dilemma;
  if (!d) return undefined;
  const pick = answers?.[cardId];
  if (pick === undefined) return d.default;
  // options.some without the closure: every order of a role with a dilemma open asks this twice
  const options = d.options;
  for (let i = 0; i < options.length; i++) if (options[i].id === pick) return pick;
  return d.default;
}

/** card.dilemma.options.find((o) => o.id === pick), without the closure. */
function optionNamed(card: EventCard | undefined, pick: string | undefined) {
  const options = card?.dilemma?.options;
  if (!options) return undefined;
  for (let i = 0; i < options.length; i++) if (options[i].id === pick) return options[i];
  return undefined;
}

/** Applies the answers of the dilemmas put to roles last quarter; every open dilemma closes. */
export function resolveDilemmas(rules: RuleFile, state: MatchState, answers: Record<string, Record<string, string> | undefined>, events: TurnEvent[]): void {
  if (!state.dilemmas.length) return;
  for (const open of state.dilemmas) {
    const card = ruleIndex(rules).card[open.cardId];
    const pick = dilemmaAnswer(rules, open.cardId, answers[open.role]);
    const option = optionNamed(card, pick);
    if (!card || !option) continue;
    applyEffects(state, option.effects);
    events.push({ kind: 'dilemma', title: card.title, text: !say.texts ? '' : `${ruleIndex(rules).role[open.role]?.name ?? open.role} chose: ${option.label}`, visibleTo: cardVisibleTo(rules, card.id), ref: card.id });
  }
  state.dilemmas = [];
}

// each card's conditions compiled, where each id sits in the deck, and the numbers the draw reads of each card, worked
// out once per deck rather than once a card: the cards come in many shapes (optional fields), and reading a field of
// one costs a lookup of its shape, where a typed array by deck position costs a load
interface DeckLookups {
  cards: EventCard[];
  compiled: CompiledCondition[][];
  position: Map<string, number> | null;
  /** the crises' positions in the deck, in deck order (as the rule index lists them) */
  crisisAt: number[];
  /** by deck position: 1 for a crisis, 1 for a repeatable card, and the card's weight */
  crisis: Uint8Array;
  repeatable: Uint8Array;
  weight: Float64Array;
  /** the draw's test of every card at once (conditionCode.ts), or null where code cannot be compiled */
  test: DeckTest | null;
}
const lookups = new WeakMap<readonly EventCard[], DeckLookups>();
function deckLookups(deck: readonly EventCard[]): DeckLookups {
  let w = lookups.get(deck);
  // rebuilt if a card was replaced since (tests build rule objects by hand); a card is not edited in place once drawn from
  let stale = !w || w.cards.length !== deck.length;
  for (let k = 0; !stale && k < deck.length; k++) stale = deck[k] !== w!.cards[k];
  if (stale) {
    const position = new Map<string, number>();
    deck.forEach((c, k) => position.set(c.id, k));
    const crisisAt: number[] = [];
    deck.forEach((c, k) => { if (c.crisis) crisisAt.push(k); });
    // ids are unique in a checked rule file; a hand-made deck that repeats one falls back to searching drawnEvents
    const when = deck.map((c) => compiled(c.when));
    const crisis = Uint8Array.from(deck, (c) => (c.crisis ? 1 : 0)), repeatable = Uint8Array.from(deck, (c) => (c.repeatable ? 1 : 0));
    w = {
      cards: deck.slice(), compiled: when, position: position.size === deck.length ? position : null, crisisAt, crisis, repeatable,
      weight: Float64Array.from(deck, (c) => c.weight), test: deckTest(when, crisis, repeatable),
    };
    lookups.set(deck, w);
  }
  return w!;
}

// which cards of the deck the last drawnEvents read holds, by deck position (scratch, as the draw's other arrays), brought
// up to date from the entries pushed since when the same list comes again: drawnEvents only grows, by push, so its first
// `MARKED_SEEN` entries are as marked. Another list, or another deck's positions, is marked afresh.
let MARKS = new Uint8Array(64);
let MARKED_LIST: string[] | null = null;
let MARKED_BY: Map<string, number> | null = null;
let MARKED_SEEN = 0;

/** drawnEvents.includes(card.id) for every card of the deck at once, as a mask by deck position (needs unique ids). */
function drawnMask(deck: readonly EventCard[], position: Map<string, number>, list: string[]): Uint8Array {
  if (list !== MARKED_LIST || position !== MARKED_BY || MARKED_SEEN > list.length) {
    if (MARKS.length < deck.length) MARKS = new Uint8Array(deck.length);
    for (let k = 0; k < deck.length; k++) MARKS[k] = 0;
    MARKED_LIST = list;
    MARKED_BY = position;
    MARKED_SEEN = 0;
  }
  for (let i = MARKED_SEEN; i < list.length; i++) { const k = position.get(list[i]); if (k !== undefined) MARKS[k] = 1; }
  MARKED_SEEN = list.length;
  return MARKS;
}

/** Whether the rule index's crises are the deck's crisis cards at these positions (a test may edit a card's flag afterwards). */
function sameCrises(crises: readonly EventCard[], deck: readonly EventCard[], crisisAt: readonly number[]): boolean {
  if (crises.length !== crisisAt.length) return false;
  for (let j = 0; j < crisisAt.length; j++) if (crises[j] !== deck[crisisAt[j]]) return false;
  return true;
}

// scratch reused across calls (resolution is synchronous): which cards of the deck were eligible in this draw, which were drawn before
let ELIGIBLE = new Uint8Array(64);
// the eligible cards' total weight and the last one's position, as the deck's test leaves them
const SUM = new Float64Array(2);
let DRAWN = new Uint8Array(64);

export function drawEvents(rules: RuleFile, state: MatchState, rng: Rng, events: TurnEvent[]): void {
  const deck = rules.events;
  const lookups = deckLookups(deck);
  const { compiled: when, position, crisis, repeatable, weight, test } = lookups;
  fireCrisesWith(rules, state, events, lookups);
  if (ELIGIBLE.length < deck.length) { ELIGIBLE = new Uint8Array(deck.length); DRAWN = new Uint8Array(deck.length); }
  const ok = ELIGIBLE;
  for (let i = 0; i < rules.model.events.perTurn; i++) {
    // drawnEvents.includes(card.id) for every card at once
    let drawn: Uint8Array;
    if (position) drawn = drawnMask(deck, position, state.drawnEvents);
    else {
      drawn = DRAWN;
      for (let k = 0; k < deck.length; k++) drawn[k] = state.drawnEvents.includes(deck[k].id) ? 1 : 0;
    }
    // eligibleCards without the array: the same sum in the same order, then the same walk
    let total = 0, last = -1;
    if (test) {
      test(rules, state, drawn, ok, weight, SUM);
      total = SUM[0];
      last = SUM[1];
    } else {
      for (let k = 0; k < deck.length; k++) {
        ok[k] = !crisis[k] && (repeatable[k] || !drawn[k]) && allHoldCompiled(rules, state, when[k]) ? 1 : 0;
        if (ok[k]) { total += weight[k]; last = k; }
      }
    }
    if (last < 0) return;
    let pick = rng.next() * total;
    let chosen = last;
    for (let k = 0; k <= last; k++) {
      if (!ok[k]) continue;
      pick -= weight[k];
      if (pick < 0) { chosen = k; break; }
    }
    const card = ruleIndex(rules).card[deck[chosen].id];
    if (card) playIndexed(rules, state, card, events);
  }
}

/** A facilitator's injected event: the card's effects now, whatever its conditions; a new state is returned. */
export function injectEvent(rules: RuleFile, state: MatchState, cardId: string):
  { ok: true; state: MatchState; events: TurnEvent[] } | { ok: false; error: string } {
  if (state.finished) return { ok: false, error: 'the match is over' };
  if (!ruleIndex(rules).card[cardId]) return { ok: false, error: `there is no event "${cardId}" in the deck` };
  const next = cloneState(state);
  const events: TurnEvent[] = [];
  playCard(rules, next, cardId, events);
  return { ok: true, state: next, events };
}
