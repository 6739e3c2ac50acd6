// The services rooms and routes are given by startServer (never a global): the store, the logger, the limits.
import type { MatchStore } from './store/types.ts';
import type { Logger } from './log.ts';
import type { MatchRooms } from './cluster/rooms.ts';
import type { Addresses } from './rooms/addresses.ts';

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
  /** people in one match: everyone who ever joined with a name (each is a log entry) plus the watchers connected now */
  peoplePerMatch: number;
  /** connections one seat (seat token) may hold open at once: a second tab or device; the next one is refused */
  connectionsPerSeat: number;
  /** connections the facilitator key may hold open at once in one match: the desk on a laptop, a projector, a phone */
  facilitatorConnections: number;
  /** WebSocket connections one address may hold open to this process, over every match */
  connectionsPerIp: number;
  /** joins (new people, returns by token, watchers, the facilitator) one address may make a minute */
  joinsPerMinutePerIp: number;
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
  // the seats, a class of 40 and its projector and watchers fit many times over; a stranger's 300 names do not
  peoplePerMatch: 300,
  connectionsPerSeat: 2,
  // each desk connection receives every team's channel and the desk: the most expensive view to send
  facilitatorConnections: 4,
  // a school behind one address: several classes of 40 with a second tab each
  connectionsPerIp: 500,
  joinsPerMinutePerIp: 300,
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
  /** connections and joins per address over every room of this process (startServer sets it) */
  addresses?: Addresses;
}
