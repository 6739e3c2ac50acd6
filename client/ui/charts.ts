// The screens' charts: the map engineer's modules (client/charts/*), fed with the points each screen has.
import { renderTimeline as drawTimeline } from '../charts/timeline.ts';
import { renderOutcomeCharts as drawOutcome } from '../charts/outcome.ts';
import type { ViewPoint, TimelinePoint } from '../net/types.ts';

type Point = ViewPoint | TimelinePoint | { turn: number; label: string; pressLead: number };
export interface TimelineOptions {
  turns: number; band?: [number, number]; side?: 'us' | 'china' | null; large?: boolean; title?: string;
  /** the container's width when the caller knows it (reading it lays the page out) */
  boxWidth?: number;
}

/** The lead over the quarters; the public timeline's lead is the press's estimate. */
export function renderTimeline(container: HTMLElement, points: Point[], options: TimelineOptions): void {
  // drawn at the strip's own width (a phone's 390 px would shrink a 1100 px chart's text to a third)
  const box = options.boxWidth ?? container.clientWidth;
  const width = box ? Math.max(340, Math.min(1100, box - 16)) : 1100;
  drawTimeline(container, points.map((p) => ({ label: p.label, lead: 'lead' in p ? p.lead : p.pressLead })), {
    turns: options.turns, band: options.band, large: options.large, width, height: options.large ? 190 : width < 700 ? 150 : 120,
    title: options.title ?? (options.side ? 'US lead over China (months; the rival as you estimate it)' : 'US lead over China (months)'),
  });
}

export function renderOutcomeCharts(container: HTMLElement, timeline: TimelinePoint[], band?: [number, number]): void {
  drawOutcome(container, timeline, { band });
}
