// The event deck: each quarter, cards whose conditions hold are drawn by weight and applied.
import type { RuleFile } from '../rules/schema.ts';
import type { MatchState, TurnEvent } from './state.ts';
import { allHold, applyEffect } from './stats.ts';
import type { Rng } from './rng.ts';
import { ruleIndex } from './ruleIndex.ts';
import { cloneState } from './setup.ts';

export function eligibleCards(rules: RuleFile, state: MatchState) {
  return rules.events.filter((c) => (c.repeatable || !state.drawnEvents.includes(c.id)) && allHold(rules, state, c.when));
}

/** Applies one card's effects; used by the draw and by a facilitator's injected event. */
export function playCard(rules: RuleFile, state: MatchState, cardId: string, events: TurnEvent[]): boolean {
  const card = ruleIndex(rules).card[cardId];
  if (!card) return false;
  for (const e of card.effects) applyEffect(state, e);
  if (!card.repeatable && !state.drawnEvents.includes(card.id)) state.drawnEvents.push(card.id);
  events.push({ kind: 'event', title: card.title, text: card.text, visibleTo: card.visibleTo, ref: card.id });
  return true;
}

export function drawEvents(rules: RuleFile, state: MatchState, rng: Rng, events: TurnEvent[]): void {
  for (let i = 0; i < rules.model.events.perTurn; i++) {
    const cards = eligibleCards(rules, state);
    if (!cards.length) return;
    let total = 0;
    for (const c of cards) total += c.weight;
    let pick = rng.next() * total;
    let chosen = cards[cards.length - 1];
    for (const c of cards) {
      pick -= c.weight;
      if (pick < 0) { chosen = c; break; }
    }
    playCard(rules, state, chosen.id, events);
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
