// What the router and the match page hold: a screen (its element, title, clean-up) and the navigation function.
import type { Snapshot } from '../net/types.ts';

export type Nav = (path: string, options?: { replace?: boolean }) => void;
export interface Screen { el: HTMLElement; title?: string; destroy?(): void }

/** A screen of a match: redrawn from the controller's snapshot on every change. */
export interface SubScreen {
  el: HTMLElement;
  update(s: Snapshot): void;
  /** the controller changed something other than the snapshot (the outcome's record arrived) */
  refresh?(): void;
  destroy?(): void;
}
