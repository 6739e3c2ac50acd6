// Limits as configuration: each one can be set by an environment variable, checked with a message naming it.
import { DEFAULT_LIMITS, type Limits } from './context.ts';

/** The environment variable for each limit, and the range it must be in. */
export const LIMIT_VARIABLES: Record<keyof Limits, { env: string; min: number; max: number; what: string }> = {
  messagesPerSecond: { env: 'MESSAGES_PER_SECOND', min: 1, max: 1000, what: 'messages a client may send per second before "slow down" errors' },
  messageBurst: { env: 'MESSAGE_BURST', min: 1, max: 10_000, what: 'messages a client may send at once before the per-second limit applies' },
  hardMessagesPerSecond: { env: 'HARD_MESSAGES_PER_SECOND', min: 1, max: 10_000, what: 'messages per second at which the connection is dropped' },
  reconnectSeconds: { env: 'RECONNECT_SECONDS', min: 0, max: 3600, what: 'seconds a dropped connection keeps its place for a quick reconnection' },
  matchesPerMinutePerIp: { env: 'MATCHES_PER_MINUTE_PER_IP', min: 1, max: 1_000_000, what: 'matches one address may create a minute' },
  maxRulesBytes: { env: 'MAX_RULES_BYTES', min: 1024, max: 16 * 1024 * 1024, what: 'bytes of an uploaded rule file' },
  maxMessageBytes: { env: 'MAX_MESSAGE_BYTES', min: 1024, max: 16 * 1024 * 1024, what: 'bytes of one WebSocket message from a client' },
  maxChatChars: { env: 'MAX_CHAT_CHARS', min: 1, max: 4000, what: 'characters of a chat message' },
  peoplePerMatch: { env: 'PEOPLE_PER_MATCH', min: 2, max: 100_000, what: 'people in one match (everyone who joined with a name, plus watchers connected now)' },
  connectionsPerSeat: { env: 'CONNECTIONS_PER_SEAT', min: 1, max: 100, what: 'connections one seat may hold open at once (tabs, devices); the next is refused' },
  facilitatorConnections: { env: 'FACILITATOR_CONNECTIONS', min: 1, max: 100, what: 'connections the facilitator key may hold open at once in one match; the next is refused' },
  connectionsPerIp: { env: 'CONNECTIONS_PER_IP', min: 1, max: 1_000_000, what: 'connections one address may hold open to this server process' },
  joinsPerMinutePerIp: { env: 'JOINS_PER_MINUTE_PER_IP', min: 1, max: 1_000_000, what: 'joins one address may make a minute' },
};

/** The limits set in this environment (the rest keep their defaults); throws naming the variable on a bad value. */
export function limitsFromEnv(env: Record<string, string | undefined> = process.env): Partial<Limits> {
  const out: Partial<Limits> = {};
  for (const [key, { env: name, min, max, what }] of Object.entries(LIMIT_VARIABLES) as [keyof Limits, (typeof LIMIT_VARIABLES)[keyof Limits]][]) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new Error(`${name} (${what}) must be a whole number from ${min} to ${max}, got "${raw}" (default ${DEFAULT_LIMITS[key]})`);
    }
    out[key] = n;
  }
  return out;
}
