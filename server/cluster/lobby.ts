// The public lobby from the store: every open public match, whether or not a live process holds its room.
// A held match answers with its room's metadata; one no process holds is read from its log (cached by its length).
import { matchMaker } from '@colyseus/core';
import { apply } from '../../shared/match/apply.ts';
import { newMatch } from '../../shared/match/match.ts';
import type { MatchStore } from '../store/types.ts';
import type { MatchRoomMetadata } from '../rooms/project.ts';
import { metadataOf } from '../rooms/project.ts';
import { rulesOfMatch } from '../match-rules.ts';
import type { MatchRooms } from './rooms.ts';

/** At most this many public matches are looked at per listing (newest first). */
const LOBBY_LIMIT = 200;

export class Lobby {
  private readonly cache = new Map<string, { entries: number; meta: MatchRoomMetadata }>();
  private readonly store: MatchStore;
  private readonly rooms: MatchRooms;
  constructor(store: MatchStore, rooms: MatchRooms) {
    this.store = store;
    this.rooms = rooms;
  }

  /** The open public matches (not ended), newest first. */
  async publicMatches(): Promise<MatchRoomMetadata[]> {
    const open = (await this.store.list({ status: 'open' })).filter((m) => m.visibility === 'public').slice(0, LOBBY_LIMIT);
    // the listing is in Redis: while it is down the lobby is read from the store alone, not held up
    const query = matchMaker.query({ name: 'match' }).catch(() => []);
    const rooms = await Promise.race([query, new Promise<[]>((r) => setTimeout(() => r([]), 1000).unref())]);
    const listings = new Map(rooms.map((r) => [r.roomId, r.metadata as MatchRoomMetadata | undefined]));
    const out: MatchRoomMetadata[] = [];
    for (const m of open) {
      const roomId = await this.rooms.liveHolder(m.id).catch(() => null);
      const live = roomId ? listings.get(roomId) : undefined;
      const meta = live?.code ? live : await this.fromLog(m.id).catch(() => null);
      if (meta && meta.phase !== 'ended') out.push(meta);
    }
    return out;
  }

  private async fromLog(matchId: string): Promise<MatchRoomMetadata | null> {
    const loaded = await this.store.load(matchId);
    if (!loaded) return null;
    const cached = this.cache.get(matchId);
    if (cached && cached.entries === loaded.entries.length) return cached.meta;
    const match = newMatch(loaded.header.settings, rulesOfMatch(loaded.header), loaded.header.seed, { history: false });
    for (const e of loaded.entries) apply(match, e);
    const meta = metadataOf(loaded.header, match);
    this.cache.set(matchId, { entries: loaded.entries.length, meta });
    return meta;
  }
}
