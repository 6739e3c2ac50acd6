// The quarter report's lines: what really changed (our side, exact) apart from what our estimate of the rival changed.
import type { TeamView } from '../../shared/protocol/documents.ts';
import { months, pct } from './format.ts';

export interface ReportLine { kind: 'exact' | 'estimate' | 'lead'; text: string }

const delta = (x: number, fmt: (v: number) => string) => (fmt(Math.abs(x)) === fmt(0) ? 'no change' : `${x >= 0 ? '▲' : '▼'} ${fmt(Math.abs(x))}`);

/**
 * The report on the quarter just played, from a team's view. Our own numbers are exact, so their change is what really
 * happened; the rival's are estimates, so their change is our estimate's, and part of it may be the estimate's error.
 * The lead is told as our estimate now, with what each part contributed: never as if the lead itself had moved by it.
 */
export function quarterReport(view: TeamView, rivalName: string): ReportLine[] {
  const tl = view.timeline;
  if (tl.length < 2) return [];
  const a = tl[tl.length - 2], b = tl[tl.length - 1];
  const side = view.side;
  const rival = side === 'us' ? 'china' : 'us';
  const ours = b.capability[side] - a.capability[side];
  const theirs = b.capability[rival] - a.capability[rival];
  const range = view.rival.capability;
  const spread = Math.max(0, (range.high - range.low) / 2);
  // the lead is the US's capability less China's: our side moves it one way, the rival the other
  const sign = side === 'us' ? 1 : -1;
  return [
    { kind: 'exact', text: `Our capability (exact): ${months(b.capability[side])}, ${delta(ours, months)} this quarter` },
    { kind: 'exact', text: `Our safeguards (exact): ${pct(b.safeguards[side])}, ${delta(b.safeguards[side] - a.safeguards[side], pct)}` },
    { kind: 'estimate', text: `${rivalName}'s capability (our estimate, ±${months(spread)}): ${months(b.capability[rival])}, our estimate ${delta(theirs, months)} — part of that may be the estimate's error, not ${rivalName}'s progress` },
    { kind: 'lead', text: `US lead by our estimate: ${months(b.lead)} (our own progress moved it ${delta(sign * ours, months)}; our estimate of ${rivalName} moved it ${delta(-sign * theirs, months)})` },
  ];
}
