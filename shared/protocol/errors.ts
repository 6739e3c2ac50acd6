// Stable error codes: what a program checks (never the wording); the human message travels beside it.

/** Why a message was refused (the `code` of an `error` reply). */
export const MESSAGE_ERRORS = {
  'not-joined': 'the connection has not joined the match yet',
  'slow-down': 'over the soft rate limit (MESSAGES_PER_SECOND); try again shortly',
  'unknown-type': 'no message has this type',
  'undecodable': 'the payload is not MessagePack',
  'invalid': 'the payload does not fit the message\'s schema (see details)',
  'not-allowed': 'this seat may not send this message (a watcher, not the facilitator, ...)',
  'wrong-phase': 'not in this phase (or not in this state of the team: submitted, paused, no timer)',
  'bot-plays': 'the facilitator handed your team to its bot: take the seat back (reclaim) to play again',
  'not-lead': 'only the team\'s lead submits and takes back the order while the lead is connected (the lead or the facilitator passes the lead on)',
  'refused': 'the rules refuse it (a proposal that is blocked, an unknown card, person or role, ...)',
  'match-over': 'the match has ended',
  'server-error': 'the server could not apply it',
} as const;
export type MessageErrorCode = keyof typeof MESSAGE_ERRORS;

/** Why a join was refused: the last word of the refusal's message, in square brackets ("... [team-full]"). */
export const JOIN_ERRORS = {
  'bad-options': 'the join options do not fit their schema (400)',
  'name-needed': 'a new person needs a name (400)',
  'no-such-role': 'the role asked for is not in the rules (400)',
  'team-full': 'the role asked for has no free seat (409)',
  'match-over': 'the match is over; its record is still available (409)',
  'wrong-key': 'the facilitator key is not this match\'s (403)',
  'unknown-token': 'the seat token is not for a seat in this match (403)',
  'removed': 'the facilitator removed this person (or a person from this browser) from the match (403)',
  'name-taken': 'someone in the match already has that name (409)',
  'name-refused': 'the word filter refuses that name (400)',
  'agents-off': 'this match\'s creator did not allow agent seats (403)',
  'match-full': 'the match already has PEOPLE_PER_MATCH people and watchers (409)',
  'seat-busy': 'this seat (or the facilitator\'s desk) is already open in CONNECTIONS_PER_SEAT (FACILITATOR_CONNECTIONS) places (tabs, devices); close one (409)',
  'too-many-connections': 'this address already holds CONNECTIONS_PER_IP connections to the server (429)',
  'slow-down': 'more than JOINS_PER_MINUTE_PER_IP joins from this address this minute (429)',
  'locked': 'the facilitator locked the match to newcomers (403); a seat token still brings a person back',
} as const;
export type JoinErrorCode = keyof typeof JOIN_ERRORS;

/** The message of a join refusal: the human text, then its code in brackets. */
export const joinRefusalMessage = (code: JoinErrorCode, text: string): string => `${text} [${code}]`;

/** The code at the end of a join refusal's message, or null for another error (a network failure, an old server). */
export function joinRefusalCode(message: string | undefined): JoinErrorCode | null {
  const m = /\[([a-z-]+)\]$/.exec(message ?? '');
  return m && m[1] in JOIN_ERRORS ? (m[1] as JoinErrorCode) : null;
}

/** Close codes the server uses when it ends a connection. */
export const CLOSE_CODES = {
  /** a flood: more than HARD_MESSAGES_PER_SECOND, or a frame over MAX_MESSAGE_BYTES */
  flood: 4002,
  /** the facilitator removed the person */
  removed: 4003,
  /** another process holds the match now: reload, and ask for the match by code (the seat token works there) */
  moved: 4004,
} as const;

/** Why an HTTP request was refused (the `code` beside `error` in the JSON body). */
export const HTTP_ERRORS = {
  'invalid': 'the body or the settings do not fit (400)',
  'no-such-rules': 'no shipped rule file has that name (400)',
  'rules-problems': 'the uploaded rule file has problems (400, details)',
  'too-large': 'the body or the rule file is too large (413)',
  'too-many': 'too many matches created from this address this minute (429)',
  'slow-down': 'too many look-ups or rule checks from this address this minute (429, Retry-After)',
  'unsupported-type': 'a POST body that is not JSON (415)',
  'busy': 'the rule checker is busy; try again shortly (503)',
  'not-found': 'no match has that code, or no such route (404)',
  'wrong-key': 'the facilitator key is not this match\'s (403)',
  'private': 'only the facilitator key opens this before the match ends (403)',
  'unknown-token': 'the seat token is not for a seat in this match (403)',
  'not-allowed': 'this match cannot be forked by you now: a class needs its facilitator key, an online match must be over (403)',
  'server-error': 'the server could not handle the request (500, with a requestId to quote)',
  'damaged': 'the match\'s stored log is damaged and cannot be read back (500)',
} as const;
export type HttpErrorCode = keyof typeof HTTP_ERRORS;
