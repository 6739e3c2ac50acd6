// Every message a client may send to a match room, as zod schemas: the contract docs/protocol.md describes.
import { z } from 'zod';
import { orderShape } from '../engine/orders.ts';
import type { MessageErrorCode } from './errors.ts';
import { textProblem } from '../text.ts';

const id = z.string().min(1).max(64);
/** a phase's timer in seconds; 0: no timer */
const phaseSeconds = z.number().int().min(0).max(3600);

/** Display names: what a classmate sees on the projector, so short, printable and trimmed. */
/** Text that reaches synced state and the log must be well-formed and visible (shared/text.ts is the one check). */
const wellFormed = (what: string) => (s: string, ctx: z.RefinementCtx) => {
  const why = textProblem(s);
  if (why) ctx.addIssue({ code: 'custom', message: `${what} ${why}` });
};

export const displayName = z.string()
  .superRefine(wellFormed('a name'))
  .transform((s) => s.normalize('NFC').replace(/\s+/g, ' ').trim())
  .pipe(z.string()
    .min(1, 'a name needs at least one character')
    .max(24, 'a name can be at most 24 characters')
    .refine((s) => !/[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u.test(s), 'a name cannot contain control or invisible characters')
    .refine((s) => /[\p{L}\p{N}]/u.test(s), 'a name needs at least one letter or digit'));

/** Options given when joining a match room (client.joinById(roomId, options)). */
export const joinOptions = z.strictObject({
  /** a new person's name; ignored when a seat token brings a person back */
  name: displayName.optional(),
  /** the role a new person would like (may be refused when its seats are full) */
  role: id.optional(),
  /** watch only: the projector view, public numbers only */
  spectator: z.boolean().optional(),
  /** the token this person was given on first joining: takes the same seat back, also after a restart */
  seatToken: z.string().min(16).max(128).optional(),
  /** a random token this browser keeps for every match: a removal sticks to it, so a removed student cannot rejoin under a new name */
  device: z.string().min(16).max(128).optional(),
  /** the facilitator's secret key (class matches) */
  facilitatorKey: z.string().min(16).max(128).optional(),
  /** a program (an LLM agent, a script) takes this seat: everyone sees it marked, and the match must allow agents */
  agent: z.boolean().optional(),
});
export type JoinOptions = z.infer<typeof joinOptions>;

export const chatText = z.string().superRefine(wellFormed('a chat message')).transform((s) => s.trim()).pipe(z.string().min(1, 'a chat message cannot be empty').max(4000, 'a chat message can be at most 4000 characters'));

/** Client → server messages, by type. */
export const clientMessages = {
  /** edit the team's shared draft for this quarter */
  draft: z.strictObject({ order: orderShape }),
  /** submit the team's order for this quarter (the last submit before resolution counts) */
  submit: z.strictObject({ order: orderShape }),
  /** take the team's submission back to keep editing */
  unsubmit: z.strictObject({}),
  /** this team is done with the briefing / negotiation / report */
  ready: z.strictObject({ ready: z.boolean() }),
  chat: z.strictObject({ to: id, text: chatText }),
  /** take the team's seat back from the bot the facilitator handed it to */
  reclaim: z.strictObject({}),
  /** make a team-mate the team's lead (the lead, or the facilitator for anyone seated) */
  lead: z.strictObject({ personId: id }),
  propose: z.strictObject({ proposalId: id, to: id }),
  respond: z.strictObject({ key: z.number().int().min(1), accept: z.boolean() }),
  /** facilitator only */
  control: z.discriminatedUnion('action', [
    z.strictObject({ action: z.literal('start') }),
    z.strictObject({ action: z.literal('pause') }),
    z.strictObject({ action: z.literal('resume') }),
    z.strictObject({ action: z.literal('extend'), seconds: z.number().int().min(5).max(3600) }),
    z.strictObject({ action: z.literal('resolveNow') }),
    z.strictObject({ action: z.literal('skipPhase') }),
    z.strictObject({ action: z.literal('inject'), cardId: id }),
    z.strictObject({ action: z.literal('move'), personId: id, role: id.nullable() }),
    z.strictObject({ action: z.literal('remove'), personId: id }),
    /** let a removed person back in: their seat token (and browser) work again */
    z.strictObject({ action: z.literal('readmit'), personId: id }),
    z.strictObject({ action: z.literal('botSeat'), role: id, bot: z.boolean() }),
    z.strictObject({ action: z.literal('end') }),
    /** the lesson plan mid-game: how many quarters the match plays (endings judged after the last), and phase timers (seconds, 0: none) */
    z.strictObject({ action: z.literal('plan'), turns: z.number().int().min(1).max(40).optional(), timers: z.strictObject({ briefing: phaseSeconds, negotiation: phaseSeconds, orders: phaseSeconds, report: phaseSeconds }).partial().optional() }),
    /** a team's size from now on (0: a bot plays it) */
    z.strictObject({ action: z.literal('seats'), role: id, seats: z.number().int().min(0).max(10) }),
    /** even the teams out (and seat the queue) */
    z.strictObject({ action: z.literal('balance') }),
    /** joiners wait for the facilitator's approval; the lobby is locked to newcomers */
    z.strictObject({ action: z.literal('moderation'), approval: z.boolean().optional(), locked: z.boolean().optional() }),
    /** let a waiting joiner in (refuse one with "remove") */
    z.strictObject({ action: z.literal('approve'), personId: id }),
    /** mute or unmute a person's chat */
    z.strictObject({ action: z.literal('mute'), personId: id, muted: z.boolean() }),
  ]),
} as const;

export type ClientMessageType = keyof typeof clientMessages;
export type ClientMessage<T extends ClientMessageType> = z.infer<(typeof clientMessages)[T]>;
export type ControlAction = ClientMessage<'control'>;

/**
 * Which kind of seat a connection has: a team member ("player"), a person without a role who keeps a seat token
 * ("seated-spectator": every team was full, or the facilitator moved them out), a watcher who joined with
 * `spectator: true` (a projector: no token, not listed in people), or the facilitator.
 */
export type SeatKind = 'player' | 'seated-spectator' | 'watcher' | 'facilitator';

/** Server → client messages. */
export interface ServerMessages {
  /** sent once on joining: who you are; keep seatToken to come back to the same seat */
  welcome: { personId: string; role: string | null; spectator: boolean; facilitator: boolean; seat: SeatKind; seatToken: string | null; name: string };
  /** the answer to a message that was refused: which message, a stable code, what was wrong */
  error: { type: string; code: MessageErrorCode; message: string; details?: string[] };
  /** the answer to an accepted message that changed something */
  ok: { type: string; warnings?: string[] };
}

/** A typed client message: what `room.send(type, payload)` carries, after its schema accepted it. */
export type ClientAction = { [T in ClientMessageType]: { type: T; payload: ClientMessage<T> } }[ClientMessageType];

/** What a client sends as the payload of a message of this type (before the server's schema fills or trims it). */
export type ClientPayload<T extends ClientMessageType> = z.input<(typeof clientMessages)[T]>;
