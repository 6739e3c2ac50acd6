// The HTTP API's bodies (docs/protocol.md section 3): what a request sends and what each route answers.
import { z } from 'zod';
import { PERSONALITIES } from '../bots/personalities.ts';
import type { Side } from '../rules/schema.ts';
import type { Phase } from './match.ts';
import type { HttpErrorCode } from './errors.ts';

const seconds = z.number().int().min(0).max(3600);

/** POST /api/matches: what the set-up screen (or any program) sends to create a match. */
export const createMatchBody = z.strictObject({
  mode: z.enum(['class', 'online']).default('online'),
  visibility: z.enum(['public', 'private']).default('private'),
  /** a shipped rule file's name (default.yaml) or the text of an uploaded one */
  rules: z.union([z.string().regex(/^[a-z0-9-]+\.yaml$/, 'must be a rule file name such as default.yaml'), z.strictObject({ upload: z.string().max(1024 * 1024) })]).default('default.yaml'),
  /** people per role; a role left out gets one seat (online) or three (class) */
  seats: z.record(z.string().max(64), z.number().int().min(0).max(30)).default({}),
  /** personality of the bot for each role's empty seats (default status-quo) */
  bots: z.record(z.string().max(64), z.enum(PERSONALITIES)).default({}),
  timers: z.strictObject({ briefing: seconds, negotiation: seconds, orders: seconds, report: seconds }).partial().optional(),
  botTakeoverSeconds: z.number().int().min(5).max(3600).default(120),
  /** how many students: each role not given in `seats` gets an equal share of them, at most 10 a team */
  classSize: z.number().int().min(1).max(60).optional(),
  /** the lesson's length: the plan it implies (lessonPlan: quarters and timers) fills in turns and any timer not given */
  lessonMinutes: z.number().int().min(20).max(240).optional(),
  /** play only the rule file's first quarters (the ending is judged after the last of them) */
  turns: z.number().int().min(1).max(40).optional(),
  /** whether outside programs (LLM agents, scripts) may take seats through /api/agents, disclosed to all: off by default in class, on online */
  agents: z.boolean().optional(),
  /** a class's joiners wait on the desk until the facilitator lets them in */
  approval: z.boolean().optional(),
});
/** What a client may send (every field optional). */
export type CreateMatchRequest = z.input<typeof createMatchBody>;
/** The request after its defaults are filled in. */
export type CreateMatchSettings = z.output<typeof createMatchBody>;

/** 201 from POST /api/matches. */
export interface CreatedMatch { matchId: string; code: string; /** null when the match was stored but its room opens on the first ask by code */ roomId: string | null; facilitatorKey: string | null; joinUrl: string }

/** GET /api/rules: the shipped rule files. */
export interface RulesSummary {
  name: string; title: string; description: string; turns: number;
  /** when the first quarter is and how many there are (a lesson plan labels its quarters from it) */
  calendar: { startYear: number; startQuarter: number; turns: number };
  roles: { id: string; name: string; side: Side; kind: string; blurb: string }[];
}

/** POST /api/rules/check: { text, name? } → */
export interface RulesCheckAnswer { ok: boolean; problems: string[] }

/** GET /api/matches: public matches not ended. */
export interface PublicMatch { code: string; title: string; phase: Phase; openSeats: number }

/** POST /api/quickplay. */
export interface QuickPlayAnswer { code: string; roomId: string; created: boolean }

/** GET /api/matches/CODE. */
export interface MatchInfo {
  code: string; status: 'open' | 'finished'; mode: 'online' | 'class'; title: string;
  /** the room to join; null once the match is finished */
  roomId: string | null;
  phase: Phase;
  roles: { id: string; name: string; side: Side; seats: number }[];
}

/** GET /healthz: this process, what it holds, and how its services are. */
export interface Health {
  ok: true; uptimeSeconds: number;
  /** the Colyseus process id (what match claims name) and the operating system's */
  processId: string; pid: number;
  /** host:port other processes send this one's clients to (null alone) */
  publicAddress: string | null;
  rooms: number; clients: number; memoryMB: { rss: number; heapUsed: number };
  store: 'ok' | 'down';
  /** "none" without REDIS_URL */
  redis: 'ok' | 'down' | 'none';
  /** the codes of the matches whose rooms are open here */
  matches: string[];
  /** matches start-up could not reopen, and why */
  unrestored: { code: string; reason: string }[];
  /** appends refused because another process took the match over (this process was paused or cut off) */
  fencedAppends: number;
  claimsLost: number;
}

/** Every refused request: the human message, a stable code, and the particulars when there are several. */
export interface HttpErrorBody { error: string; code: HttpErrorCode; details?: string[]; /** with a server error: the id its log line carries, to quote to an operator */ requestId?: string }
