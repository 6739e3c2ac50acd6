// Expiry: a lobby nobody joined closes after LOBBY_EXPIRY_HOURS, an unfinished match nobody changed after IDLE_EXPIRY_DAYS.
// An expired match ends with an `end` entry (reason "expired: …") and is marked finished: its record stays, no room is kept.
import type { Logger } from '../log.ts';
import type { MatchStore } from '../store/types.ts';
import type { ClusterSettings } from './settings.ts';
import type { MatchRooms } from './rooms.ts';

export interface ExpiryDeps { store: MatchStore; logger: Logger; settings: ClusterSettings; rooms: MatchRooms; now?: () => number }

/** Why a match has expired at `now`, or null. */
export function expiryReason(a: { createdAt: string; lastAt: string; people: number }, settings: ClusterSettings, now: number): string | null {
  if (a.people === 0 && now - Date.parse(a.createdAt) > settings.lobbyExpiryHours * 3_600_000) return `expired: nobody joined within ${settings.lobbyExpiryHours} h`;
  if (now - Date.parse(a.lastAt) > settings.idleExpiryDays * 86_400_000) return `expired: nothing happened for ${settings.idleExpiryDays} days`;
  return null;
}

export function startExpiry(deps: ExpiryDeps): { sweep(): Promise<number>; stop(): void } {
  const now = deps.now ?? Date.now;
  let running: Promise<number> | null = null;
  const sweep = () => (running ??= (async () => {
    let expired = 0;
    try {
      for (const a of await deps.store.activity()) {
        const reason = expiryReason(a, deps.settings, now());
        if (!reason) continue;
        try {
          if (await deps.rooms.expire(a.id, a.code, reason)) {
            expired++;
            deps.logger.info({ match: a.code, reason }, 'match expired');
          }
        } catch (err) {
          deps.logger.warn({ match: a.code, err: (err as Error).message }, 'could not expire a match');
        }
      }
    } finally {
      running = null;
    }
    return expired;
  })());
  const timer = setInterval(() => void sweep().catch((err: Error) => deps.logger.error({ err: err.message }, 'expiry sweep failed')), deps.settings.expiryCheckMinutes * 60_000);
  timer.unref();
  return { sweep, stop: () => clearInterval(timer) };
}
