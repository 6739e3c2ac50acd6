// The desk's class panel: lesson time left, the plan (quarters, timers) mid-game, joining (approval, lock, waiting list), team sizes and the queue.
import { h, text, toast, uid, announce } from './dom.ts';
import type { MatchContext } from '../app/match-ctrl.ts';
import type { Snapshot } from '../net/types.ts';
import type { ClientPayload } from '../../shared/protocol/messages.ts';
import type { DeskRoom } from '../../shared/protocol/documents.ts';
import { lessonClock } from '../../shared/match/lesson.ts';

const PHASE_NAMES = { briefing: 'Briefing', negotiation: 'Negotiation', orders: 'Orders', report: 'Report' } as const;
type TimedPhase = keyof typeof PHASE_NAMES;

const mins = (seconds: number) => `${Math.round(Math.abs(seconds) / 60)} min`;
const clockTime = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export class ClassPanel {
  readonly el: HTMLElement;
  private ctx: MatchContext;
  private clock: HTMLElement;
  private plan: HTMLElement;
  private joining: HTMLElement;
  private sizes: HTMLElement;
  private last: Snapshot | null = null;
  private keys: Record<string, string> = {};
  private ticker: ReturnType<typeof setInterval>;

  constructor(ctx: MatchContext) {
    this.ctx = ctx;
    this.clock = h('p', { class: 'lesson-clock', role: 'status' });
    this.plan = h('div', { class: 'lesson-plan-edit' });
    this.joining = h('div', { class: 'joining' });
    this.sizes = h('div', { class: 'team-sizes' });
    this.el = h('section', { class: 'panel class-panel', 'aria-labelledby': 'class-panel-title' },
      h('h2', { id: 'class-panel-title' }, 'The lesson'), this.clock, this.plan,
      h('h3', null, 'Joining'), this.joining,
      h('h3', null, 'Team sizes'), this.sizes);
    // the clock moves on by itself; everything else redraws on a change
    this.ticker = setInterval(() => { if (this.last) this.renderClock(this.last); }, 1000);
  }

  private async control(payload: ClientPayload<'control'>, done?: string): Promise<boolean> {
    const r = await this.ctx.ctrl.control(payload);
    if (!r.ok) toast(r.message ?? 'Refused', 'error', r.details);
    else if (done) { toast(done, 'ok'); announce(done); }
    return r.ok;
  }

  update(s: Snapshot): void {
    this.last = s;
    const room = s.desk?.room;
    this.el.hidden = !room;
    if (!room) return;
    this.renderClock(s);
    this.renderPlan(s, room);
    this.renderJoining(s, room);
    this.renderSizes(s, room);
  }

  private renderClock(s: Snapshot): void {
    const room = s.desk?.room;
    if (!room) return;
    const c = lessonClock({ lessonMinutes: room.lessonMinutes, startedAt: room.startedAt, turns: room.turns, turn: s.turn, phase: s.phase, timers: room.timers, phaseEndsAt: s.phaseEndsAt, phaseRemaining: s.phaseRemaining }, Date.now());
    const play = `the ${s.phase === 'ended' ? '' : 'quarters still to play need up to '}${s.phase === 'ended' ? 'match is over' : mins(c.playSeconds)}`;
    if (c.lessonSeconds === null || c.endsAt === null || c.debriefSeconds === null) { text(this.clock, `No lesson length was planned: ${play}.`); return; }
    const left = c.lessonSeconds >= 0 ? `${mins(c.lessonSeconds)} of the lesson left (it ends at ${clockTime(c.endsAt)})` : `the lesson ended ${mins(c.lessonSeconds)} ago (at ${clockTime(c.endsAt)})`;
    const debrief = c.debriefSeconds >= 0 ? `${mins(c.debriefSeconds)} for the debrief` : `${mins(c.debriefSeconds)} over: drop a quarter or shorten the timers`;
    text(this.clock, `${left}; ${play}; ${debrief}.`);
    this.clock.classList.toggle('over', c.debriefSeconds < 0);
  }

  private renderPlan(s: Snapshot, room: DeskRoom): void {
    const key = JSON.stringify([room.turns, room.maxTurns, room.timers, s.turn, s.phase === 'ended']);
    if (this.keys.plan === key) return;
    this.keys.plan = key;
    if (s.phase === 'ended') { this.plan.replaceChildren(); return; }
    // the earliest the match can end: after the quarter being played (in the report, the next)
    const least = s.turn + 1;
    const quarters = h('input', { type: 'number', id: uid('plan-quarters'), min: String(least), max: String(room.maxTurns), value: String(room.turns), class: 'num' });
    const timers = (Object.keys(PHASE_NAMES) as TimedPhase[]).map((k) => {
      const input = h('input', { type: 'number', id: uid(`plan-${k}`), min: '0', max: '3600', step: '15', value: String(room.timers[k]), class: 'num', dataset: { phase: k } });
      return { k, input, label: h('label', { for: input.id }, `${PHASE_NAMES[k]} (s)`) };
    });
    const form = h('form', { class: 'plan-form', 'aria-label': 'Change the plan', onsubmit: (e: Event) => {
      e.preventDefault();
      const t = Object.fromEntries(timers.map(({ k, input }) => [k, Number(input.value)]));
      void this.control({ action: 'plan', turns: Number(quarters.value), timers: t }, 'Plan changed.');
    } },
      h('div', { class: 'row' }, h('label', { for: quarters.id }, `Quarters (${least}–${room.maxTurns})`), quarters,
        h('button', { type: 'button', class: 'small', 'aria-label': 'Drop a quarter', disabled: room.turns <= least, onclick: () => void this.control({ action: 'plan', turns: room.turns - 1 }, 'One quarter fewer: the ending is judged after the new last one.') }, '− quarter'),
        h('button', { type: 'button', class: 'small', 'aria-label': 'Add a quarter', disabled: room.turns >= room.maxTurns, onclick: () => void this.control({ action: 'plan', turns: room.turns + 1 }, 'One more quarter.') }, '+ quarter')),
      h('div', { class: 'row' }, timers.flatMap(({ label, input }) => [label, input])),
      h('div', { class: 'row' }, h('button', { type: 'submit' }, 'Apply the plan'), h('span', { class: 'hint' }, ' The running phase keeps what it has run: its deadline moves by the change.')));
    this.plan.replaceChildren(h('p', null, `Playing ${room.turns} of ${room.maxTurns} quarters; the ending is judged after quarter ${room.turns}.`), form);
  }

  private renderJoining(s: Snapshot, room: DeskRoom): void {
    const names = new Map((s.desk?.people ?? []).map((p) => [p.id, p.name]));
    const key = JSON.stringify([room.approval, room.locked, room.waiting, room.queue, [...names]]);
    if (this.keys.joining === key) return;
    this.keys.joining = key;
    const approval = h('input', { type: 'checkbox', id: uid('approval'), checked: room.approval,
      onchange: () => void this.control({ action: 'moderation', approval: approval.checked }, approval.checked ? 'New joiners wait for you to let them in.' : 'New joiners come straight in.') });
    const locked = h('input', { type: 'checkbox', id: uid('locked'), checked: room.locked,
      onchange: () => void this.control({ action: 'moderation', locked: locked.checked }, locked.checked ? 'Locked: nobody new can join.' : 'Open: new students can join.') });
    const waiting = room.waiting.map((id) => h('li', { dataset: { person: id } }, names.get(id) ?? id, ' ',
      h('button', { type: 'button', class: 'small primary', onclick: () => void this.control({ action: 'approve', personId: id }, `${names.get(id) ?? 'They'} may join.`) }, 'Let in'), ' ',
      h('button', { type: 'button', class: 'small danger', onclick: () => void this.control({ action: 'remove', personId: id }, `${names.get(id) ?? 'They'} refused.`) }, 'Refuse')));
    this.joining.replaceChildren(
      h('div', { class: 'row' }, approval, h('label', { for: approval.id }, ' Let each joiner in myself'), ' ', locked, h('label', { for: locked.id }, ' Lock the match to newcomers')),
      h('h4', null, `Waiting to be let in (${room.waiting.length})`),
      room.waiting.length ? h('ul', { class: 'waiting-list' }, waiting) : h('p', { class: 'hint' }, 'Nobody is waiting.'),
      h('h4', null, `Queue for a seat (${room.queue.length})`),
      room.queue.length ? h('ol', { class: 'seat-queue' }, room.queue.map((id) => h('li', null, names.get(id) ?? id)))
        : h('p', { class: 'hint' }, 'Every team had room: nobody waits for a seat.'));
  }

  private renderSizes(s: Snapshot, room: DeskRoom): void {
    const key = JSON.stringify([room.seats, s.roles.map((r) => r.people)]);
    if (this.keys.sizes === key) return;
    this.keys.sizes = key;
    const rows = s.roles.map((r) => {
      const input = h('input', { type: 'number', min: '0', max: '10', value: String(room.seats[r.id] ?? 0), class: 'num', id: uid(`seats-${r.id}`), dataset: { role: r.id },
        onchange: () => void this.control({ action: 'seats', role: r.id, seats: Number(input.value) }, `${r.name}: ${input.value} seats.`) });
      return h('div', { class: 'row' }, h('label', { for: input.id }, `${r.name} (${r.people} now)`), input);
    });
    this.sizes.replaceChildren(...rows,
      h('div', { class: 'row' }, h('button', { type: 'button', onclick: () => void this.control({ action: 'balance' }, 'Teams balanced.') }, '⇄ Balance the teams'),
        h('span', { class: 'hint' }, ' Moves the latest joiners of the largest teams to the smallest, then seats the queue. A smaller size keeps who is there.')));
  }

  destroy(): void { clearInterval(this.ticker); }
}
