// Runs a range of seeded bot matches and returns compact per-match records. Used in-process by
// `simulate` and `bench`, and as the body of the simulator's worker threads (node:worker_threads).
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { RuleFile } from '../shared/rules/schema.ts';
import type { TurnEvent } from '../shared/engine/state.ts';
import { runBotMatch, type BotMatchResult, type Seating } from '../shared/sim/botMatch.ts';
import { isPlanner } from '../shared/bots/planner.ts';
import { matchSeed, seatingFor, type BotsSpec } from '../shared/sim/seating.ts';
import { allocRecords, recordMatch, recordBuffers, type MatchRecords } from '../shared/sim/summary.ts';

// V8 forgets an object shape (hidden class) once no object of it is left, and drops the optimized code built on it: after
// each full collection between runs (the bench collects after every batch) the engine ran slow until compiled again (a
// fifth of the bench's throughput lost). The first matches played with a rule file are kept, log and all, so the shapes
// their states, orders and events take stay known.
const SHAPES_KEPT = 20;
const shapeKeepers = new WeakMap<RuleFile, BotMatchResult[]>();

/** Plays matches from..to-1 of the run started with `seed`; record i - from holds match i. */
export function runRange(
  rules: RuleFile,
  spec: BotsSpec,
  seed: number,
  from: number,
  to: number,
  onProgress?: (done: number) => void,
  progressEvery = 100,
): MatchRecords {
  const roleIds = rules.roles.map((r) => r.id);
  const cardIds = rules.events.map((e) => e.id);
  const rec = allocRecords(to - from, roleIds, rules.endings.map((e) => e.id), cardIds);
  // the first position of each card id, as recordMatch's indexOf finds it
  const cardIndex = new Map<string, number>();
  cardIds.forEach((id, k) => { if (!cardIndex.has(id)) cardIndex.set(id, k); });
  // marks the cards of the match being played as each quarter's events come (no log kept): one function for the whole range
  let kept = shapeKeepers.get(rules);
  if (!kept) shapeKeepers.set(rules, (kept = []));
  let current = 0;
  const onEvents = cardIds.length > 0 ? (events: TurnEvent[]) => recordCards(rec, current, events, cardIndex) : undefined;
  for (let i = from; i < to; i++) {
    const s = matchSeed(seed, i);
    let result;
    current = i - from;
    try {
      // the records read only which cards were drawn and the final numbers: no event sentences, no events but the
      // cards', and no chart points unless a planner sits (its view reads the timeline)
      const seating = seatingFor(spec, roleIds, s);
      // a kept match keeps its log as well: the same match either way
      const keep = kept.length < SHAPES_KEPT;
      result = runBotMatch(rules, s, seating, keep, false, onEvents, seatsPlanner(seating, roleIds), keep);
      if (keep) kept.push(result);
    } catch (err) {
      throw new Error(`match ${i} (engine seed ${s}) failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    recordMatch(rec, i - from, result.state);
    if (onProgress && (i - from + 1) % progressEvery === 0) onProgress(i - from + 1);
  }
  return rec;
}

/** Whether a planner sits in the match: its view reads the timeline, so the match keeps its chart points. */
function seatsPlanner(seating: Seating, roleIds: readonly string[]): boolean {
  for (let j = 0; j < roleIds.length; j++) if (isPlanner(seating[roleIds[j]])) return true;
  return false;
}

/** Marks the event cards one quarter of match i drew: plain events, dilemmas (put and answered) and crises. */
function recordCards(rec: MatchRecords, i: number, events: readonly TurnEvent[], cardIndex: Map<string, number>): void {
  for (const e of events) {
    if ((e.kind === 'event' || e.kind === 'dilemma' || e.kind === 'crisis') && e.ref) {
      const k = cardIndex.get(e.ref);
      if (k !== undefined) rec.fired[k][i] = 1;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Worker protocol

export interface JobMessage {
  type: 'job';
  jobId: number;
  /** identifies the rules; the rules themselves are sent only the first time a worker sees a key */
  rulesKey: number;
  rules?: RuleFile;
  spec: BotsSpec;
  seed: number;
  from: number;
  to: number;
}

export type WorkerReply =
  | { type: 'progress'; jobId: number; done: number }
  | { type: 'done'; jobId: number; records: MatchRecords }
  | { type: 'error'; jobId: number; message: string };

export const WORKER_TAG = 'the-2028-window/sim-worker';

if (!isMainThread && parentPort && (workerData as { tag?: string } | null)?.tag === WORKER_TAG) {
  const port = parentPort;
  const known = new Map<number, RuleFile>();
  port.on('message', (msg: JobMessage) => {
    if (msg.type !== 'job') return;
    try {
      if (msg.rules) known.set(msg.rulesKey, msg.rules);
      const rules = known.get(msg.rulesKey);
      if (!rules) throw new Error(`worker has no rules for key ${msg.rulesKey}`);
      const records = runRange(rules, msg.spec, msg.seed, msg.from, msg.to, (done) => {
        port.postMessage({ type: 'progress', jobId: msg.jobId, done } satisfies WorkerReply);
      });
      port.postMessage({ type: 'done', jobId: msg.jobId, records } satisfies WorkerReply, recordBuffers(records));
    } catch (err) {
      port.postMessage({ type: 'error', jobId: msg.jobId, message: err instanceof Error ? err.message : String(err) } satisfies WorkerReply);
    }
  });
}
