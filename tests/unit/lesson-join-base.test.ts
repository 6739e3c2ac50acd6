// Phones in the room join a local server (issue 13): the join link uses the machine's LAN address, PUBLIC_URL overrides.
import { describe, it, expect } from 'vitest';
import type { networkInterfaces } from 'node:os';
import { joinBase, lanAddress } from '../../server/http/join-base.ts';

type Interfaces = ReturnType<typeof networkInterfaces>;
const nic = (address: string, internal: boolean, family: 'IPv4' | 'IPv6' = 'IPv4') => ({ address, internal, family, netmask: '', mac: '', cidr: null }) as never;
const ROOM: Interfaces = { lo: [nic('127.0.0.1', true)], wlan0: [nic('fe80::1', false, 'IPv6'), nic('192.168.1.23', false)], eth1: [nic('10.0.0.5', false)] };

describe('the join link for phones', () => {
  it('a page on localhost gets the first non-internal IPv4 address, same port, with a note', () => {
    expect(lanAddress(ROOM)).toBe('192.168.1.23');
    const b = joinBase({ protocol: 'http', hostname: 'localhost', port: 2567 }, {}, ROOM);
    expect(b).toMatchObject({ base: 'http://192.168.1.23:2567', source: 'lan' });
    expect(b.note).toContain('192.168.1.23');
    expect(joinBase({ protocol: 'http', hostname: '127.0.0.1', port: 9 }, {}, ROOM).base).toBe('http://192.168.1.23:9');
  });

  it('PUBLIC_URL overrides; a page opened at a real address keeps it', () => {
    expect(joinBase({ protocol: 'http', hostname: 'localhost', port: 2567 }, { PUBLIC_URL: 'https://class.school.test/' }, ROOM)).toEqual({ base: 'https://class.school.test', source: 'public-url', note: '' });
    expect(joinBase({ protocol: 'http', hostname: '192.168.1.23', port: 2567 }, {}, ROOM)).toEqual({ base: 'http://192.168.1.23:2567', source: 'request', note: '' });
  });

  it('no network: the local address stays, and the note says only this computer can open it', () => {
    const b = joinBase({ protocol: 'http', hostname: 'localhost', port: 2567 }, {}, { lo: [nic('127.0.0.1', true)] });
    expect(b.base).toBe('http://localhost:2567');
    expect(b.note).toMatch(/no network address/);
  });
});
