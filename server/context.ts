// The services rooms and routes are given by startServer (never a global): the store, the logger, the limits.
import type { MatchStore } from './store/types.ts';
import type { Logger } from './log.ts';
import type { MatchRooms } from './cluster/rooms.ts';

export interface Limits {
  /** messages a client may send per second before it gets "slow down" errors (burst allowed) */
  messagesPerSecond: number;
  messageBurst: number;
  /** above this rate Colyseus drops the connection: a flood, not a mistake */
  hardMessagesPerSecond: number;
  /** seconds a dropped connection keeps its seat before counting as gone */
  reconnectSeconds: number;
  /** matches one address may create per minute */
  matchesPerMinutePerIp: number;
  /** largest uploaded rule file, in bytes */
  maxRulesBytes: number;
  /** largest WebSocket frame a client may send, in bytes; a bigger one closes the connection (a flood, not a mistake) */
  maxMessageBytes: number;
  /** longest chat message, in characters (the protocol's ceiling is 4000) */
  maxChatChars: number;
}

export const DEFAULT_LIMITS: Limits = {
  messagesPerSecond: 8,
  messageBurst: 20,
  hardMessagesPerSecond: 100,
  reconnectSeconds: 60,
  matchesPerMinutePerIp: 20,
  maxRulesBytes: 256 * 1024,
  maxMessageBytes: 64 * 1024,
  maxChatChars: 500,
};

export interface ServerContext {
  store: MatchStore;
  logger: Logger;
  limits: Limits;
  /** directory holding the shipped rule files */
  rulesDir: string;
  /** a secret only this server knows: match rooms are created by the server itself, never by a client's matchmaking request */
  internalToken: string;
  /** the match claims (server/cluster): rooms tell it when they close or find themselves replaced */
  cluster?: MatchRooms;
}
