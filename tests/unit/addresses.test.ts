// Address buckets expire (issue 12, item 7): an address whose last connection closed is forgotten, and a minute's
// joins are counted again once the window has passed, so strangers' addresses do not pile up in memory.
import { describe, it, expect } from 'vitest';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Client } from '@colyseus/core';
import { Addresses } from '../../server/rooms/addresses.ts';

const client = (): Client => ({}) as Client;

describe('address buckets', () => {
  it('forget an address once its last connection closes', () => {
    const a = new Addresses({ connectionsPerIp: 3, joinsPerMinutePerIp: 100 }, new RateLimiterMemory({ points: 100, duration: 60 }), (s) => s ?? '?');
    const held = Array.from({ length: 1000 }, (_, i) => [client(), `10.0.${i >> 8}.${i & 255}`] as const);
    for (const [c, addr] of held) a.opened(c, addr);
    const second = client();
    a.opened(second, held[0][1]);
    expect(a.addresses).toBe(1000);
    expect(a.count(held[0][1])).toBe(2);
    for (const [c, addr] of held) a.closed(c, addr);
    expect(a.addresses).toBe(1);
    a.closed(second, held[0][1]);
    expect(a.addresses).toBe(0);
    expect(a.count(held[0][1])).toBe(0);
  });

  it('count joins in a window that passes: refused at the allowance, allowed again after it', async () => {
    const a = new Addresses({ connectionsPerIp: 100, joinsPerMinutePerIp: 2 }, new RateLimiterMemory({ points: 2, duration: 1 }), (s) => s ?? '?');
    expect(await a.join('203.0.113.7')).toBeNull();
    expect(await a.join('203.0.113.7')).toBeNull();
    expect((await a.join('203.0.113.7'))?.code).toBe('slow-down');
    // another address has its own allowance
    expect(await a.join('203.0.113.8')).toBeNull();
    await new Promise((r) => setTimeout(r, 1100));
    expect(await a.join('203.0.113.7')).toBeNull();
  });
});
