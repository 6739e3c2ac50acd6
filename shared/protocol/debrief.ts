// The debrief routes' request and answer bodies (fork); the report and comparison shapes are in shared/debrief.
import { z } from 'zod';
import type { ForkedFrom } from './match.ts';

/** POST /api/matches/CODE/fork */
export const forkBody = z.strictObject({
  /** the quarter the fork starts at: 0 is the first quarter; the fork has every quarter before it */
  quarter: z.number().int().min(0).max(1000),
  /** online: a seat token of a person who played the (finished) match; a class needs the facilitator key instead */
  seatToken: z.string().min(1).max(200).optional(),
});
export type ForkRequest = z.input<typeof forkBody>;

export interface ForkAnswer {
  matchId: string;
  code: string;
  roomId: string;
  /** a class fork keeps the facilitator key of the match it came from (the same teacher runs every branch) */
  facilitatorKey: string | null;
  joinUrl: string;
  forkedFrom: ForkedFrom;
  /** entries replayed into the fork, and how long the fork took to make (ms) */
  replayed: number;
  ms: number;
}
