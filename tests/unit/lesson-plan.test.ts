// Lesson plans (issue 13): a 45-minute lesson really fits, and a shorter calendar ends and scores at its last quarter.
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { lessonPlan, withTurns, LESSON } from '../../shared/match/lesson.ts';
import { runBotMatch } from '../../shared/sim/botMatch.ts';

const rules = defaultRules();
const total = (p: ReturnType<typeof lessonPlan>) => p.quarters * (p.timers.briefing + p.timers.negotiation + p.timers.orders + p.timers.report);

describe('lessonPlan', () => {
  it('fits 45 minutes: every phase timer over its quarters, the joining and the debrief add up to at most 45 minutes', () => {
    const p = lessonPlan(45, rules);
    expect(p.problems).toEqual([]);
    expect(p.quarters).toBe(6);
    expect(p.firstQuarter).toBe('Q3 2026');
    expect(p.lastQuarter).toBe('Q4 2027');
    expect(total(p) + p.debriefMinutes * 60).toBeLessThanOrEqual(45 * 60);
    expect(total(p) + (p.joinMinutes + p.debriefMinutes) * 60).toBeLessThanOrEqual(45 * 60);
    expect(p.debriefMinutes).toBeGreaterThanOrEqual(LESSON.debriefMin);
  });

  it('gives longer lessons more quarters, then longer timers, never more quarters than the rule file has', () => {
    const [p45, p60, p90] = [45, 60, 90].map((m) => lessonPlan(m, rules));
    expect(p60.quarters).toBeGreaterThan(p45.quarters);
    expect(p90.quarters).toBe(rules.calendar.turns);
    expect(p90.timers.negotiation).toBeGreaterThan(p60.timers.negotiation);
    for (const p of [p45, p60, p90, lessonPlan(75, rules), lessonPlan(240, rules)]) {
      expect(total(p) + (p.joinMinutes + p.debriefMinutes) * 60).toBeLessThanOrEqual(p.minutes * 60);
      for (const v of Object.values(p.timers)) expect(v % LESSON.step).toBe(0);
    }
    expect(lessonPlan(240, rules).timers).toEqual(LESSON.longest);
  });

  it('says when a lesson is too short or out of range', () => {
    expect(lessonPlan(10, rules).problems[0]).toMatch(/20 to 240 minutes/);
    expect(lessonPlan(20, rules).problems).toEqual([]);
  });
});

describe('a shorter calendar', () => {
  it('ends after its last quarter with an ending and every role\'s score, and leaves the full rule file alone', () => {
    const short = withTurns(rules, 6);
    expect(short.calendar.turns).toBe(6);
    expect(rules.calendar.turns).toBe(10);
    expect(withTurns(rules, 12)).toBe(rules);
    const seating = Object.fromEntries(rules.roles.map((r) => [r.id, 'status-quo' as const]));
    const played = runBotMatch(short, 11, seating).state;
    expect(played.finished).toBe(true);
    expect(played.ending).not.toBeNull();
    // unless a catastrophe ended it early, the ending is judged after the sixth quarter
    if (played.ending!.id !== 'catastrophe') expect(played.turn).toBe(6);
    expect(Object.keys(played.ending!.scores).sort()).toEqual(rules.roles.map((r) => r.id).sort());
    const full = runBotMatch(rules, 11, seating).state;
    if (full.ending!.id !== 'catastrophe') expect(full.turn).toBe(10);
  });
});
