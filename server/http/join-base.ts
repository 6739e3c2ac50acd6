// Where phones in the room open the join link: PUBLIC_URL if set; on a local server (localhost) the machine's LAN address.
import { networkInterfaces } from 'node:os';

export interface JoinBase {
  /** scheme, host and port the join link and QR code start with */
  base: string;
  /** where it came from: PUBLIC_URL, this machine's network address (a local server), or the address the page was opened at */
  source: 'public-url' | 'lan' | 'request';
  /** what the teacher is told beside the link, or "" */
  note: string;
}

type Interfaces = ReturnType<typeof networkInterfaces>;

const LOCAL = /^(localhost|127(?:\.\d+){3}|\[?::1\]?|0\.0\.0\.0)$/i;

/** The machine's first non-internal IPv4 address, or null (no network). */
export function lanAddress(interfaces: Interfaces = networkInterfaces()): string | null {
  for (const list of Object.values(interfaces)) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

/**
 * The join link's base for a page opened at `protocol://host:port`. A page on localhost would give phones a link to
 * themselves: the link then uses the machine's LAN address (same port), with a note saying so; PUBLIC_URL overrides.
 */
export function joinBase(request: { protocol: string; hostname: string; port: number }, env: { PUBLIC_URL?: string } = process.env, interfaces?: Interfaces): JoinBase {
  const configured = env.PUBLIC_URL?.trim();
  if (configured) {
    try { return { base: new URL(configured).origin, source: 'public-url', note: '' }; } catch { /* not a URL: ignored, as if unset */ }
  }
  const own = `${request.protocol}://${request.hostname.includes(':') && !request.hostname.startsWith('[') ? `[${request.hostname}]` : request.hostname}:${request.port}`;
  if (!LOCAL.test(request.hostname)) return { base: own, source: 'request', note: '' };
  const lan = lanAddress(interfaces);
  if (!lan) return { base: own, source: 'request', note: 'This machine has no network address: only this computer can open the link. Set PUBLIC_URL to the address students use.' };
  return {
    base: `${request.protocol}://${lan}:${request.port}`, source: 'lan',
    note: `The link uses this computer's address on the local network (${lan}), so phones on the same Wi-Fi can join. Set PUBLIC_URL to use another address.`,
  };
}
