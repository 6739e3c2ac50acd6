// Limits are configuration: set from the environment with a clear message on a bad value, and enforced as set.
import { describe, it, expect, afterAll } from 'vitest';
import { limitsFromEnv, LIMIT_VARIABLES } from '../../server/limits.ts';
import { DEFAULT_LIMITS } from '../../server/context.ts';
import { bootServer, api, join, waitFor, NO_TIMERS } from '../helpers/server.ts';

describe('limits from the environment', () => {
  it('keeps the defaults when nothing is set and reads each variable it names', () => {
    expect(limitsFromEnv({})).toEqual({});
    const env = Object.fromEntries(Object.values(LIMIT_VARIABLES).map((v) => [v.env, String(v.min)]));
    const read = limitsFromEnv(env);
    expect(Object.keys(read).sort()).toEqual(Object.keys(DEFAULT_LIMITS).sort());
  });

  it('names the variable, the range and the default when a value is wrong', () => {
    expect(() => limitsFromEnv({ MAX_CHAT_CHARS: 'lots' })).toThrow(/MAX_CHAT_CHARS \(characters of a chat message\) must be a whole number from 1 to 4000, got "lots" \(default 500\)/);
    expect(() => limitsFromEnv({ MESSAGES_PER_SECOND: '0' })).toThrow(/MESSAGES_PER_SECOND .* from 1 to 1000/);
    expect(() => limitsFromEnv({ MAX_MESSAGE_BYTES: '1.5' })).toThrow(/MAX_MESSAGE_BYTES/);
  });
});

describe('a server with small limits', () => {
  let server: Awaited<ReturnType<typeof bootServer>>;
  afterAll(async () => { await server?.close(); });

  it('refuses a chat message over its length, a rule file over its size and a second match a minute', async () => {
    server = await bootServer({ limits: { maxChatChars: 10, maxRulesBytes: 2048, matchesPerMinutePerIp: 1 } });
    const created = await api(server.base, '/api/matches', { mode: 'online', seats: { usGov: 1, usLab: 0, cnGov: 1, cnLab: 0 }, timers: NO_TIMERS });
    expect(created.status).toBe(201);
    const roomId = (await api(server.base, `/api/matches/${created.body.code}`)).body.roomId;
    const ana = await join(server.base, roomId, { name: 'Ana', role: 'usGov' });
    expect(await ana.ask('chat', { to: 'all', text: 'x'.repeat(11) })).toMatchObject({ ok: false, details: ['text: a chat message can be at most 10 characters'] });
    expect((await ana.ask('chat', { to: 'all', text: 'x'.repeat(10) })).ok).toBe(true);
    await waitFor(() => ana.publicDoc()?.chat.length === 1, 'the chat message');
    const upload = await api(server.base, '/api/rules/check', { text: '#'.repeat(3000) });
    expect(upload.status).toBe(413);
    expect(upload.body.error ?? upload.body.message ?? JSON.stringify(upload.body)).toMatch(/at most 2048 bytes/);
    const second = await api(server.base, '/api/matches', { mode: 'online', seats: { usGov: 1, usLab: 0, cnGov: 1, cnLab: 0 }, timers: NO_TIMERS });
    expect(second.status).toBe(429);
    await ana.room.leave();
  });
});
