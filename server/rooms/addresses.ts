// Who connects from where, over every match of this process: connections open per address, and joins a minute per address.
import type { Client } from '@colyseus/core';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { JoinRefusal } from './admit.ts';

/** The two limits it enforces (server/context.ts Limits: CONNECTIONS_PER_IP, JOINS_PER_MINUTE_PER_IP); the services import this file, not it them. */
export interface AddressLimits { connectionsPerIp: number; joinsPerMinutePerIp: number }

export type AddressOf = (socketAddress: string | undefined, forwardedFor: string | null | undefined) => string;

export class Addresses {
  private readonly limits: AddressLimits;
  private readonly joins: RateLimiterAbstract;
  /** the connections open now, by address; an address with none is deleted, so the map holds only live ones */
  private readonly open = new Map<string, Set<Client>>();
  readonly addressOf: AddressOf;

  /** `joins` counts a minute's joins per address (in Redis when there is one: server/http/guard.ts addressLimiter). */
  constructor(limits: AddressLimits, joins: RateLimiterAbstract, addressOf: AddressOf) {
    this.limits = limits;
    this.joins = joins;
    this.addressOf = addressOf;
  }

  /** The address of a connecting WebSocket: its socket's, or the one TRUST_PROXY's proxies vouch for. */
  of(client: Client, forwardedFor: string | null | undefined, fallback: string | undefined): string {
    const socket = (client as unknown as { ref?: { _socket?: { remoteAddress?: string } } }).ref?._socket?.remoteAddress;
    return this.addressOf(socket ?? fallback, forwardedFor);
  }

  /** A join from this address now: null when allowed (and counted), else the refusal. */
  async join(address: string): Promise<JoinRefusal | null> {
    if ((this.open.get(address)?.size ?? 0) >= this.limits.connectionsPerIp) {
      return { status: 429, code: 'too-many-connections', text: `this address already has ${this.limits.connectionsPerIp} connections open to the server; close some first` };
    }
    try {
      await this.joins.consume(address);
      return null;
    } catch (err) {
      // the limiter rejects with its state when the points are spent; its own failure (Redis away past the insurance) lets the join in
      if (!(err instanceof RateLimiterRes)) return null;
      const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      return { status: 429, code: 'slow-down', text: `more than ${this.limits.joinsPerMinutePerIp} joins a minute from this address; try again in ${seconds} s` };
    }
  }

  opened(client: Client, address: string): void {
    let set = this.open.get(address);
    if (!set) this.open.set(address, (set = new Set()));
    set.add(client);
  }

  closed(client: Client, address: string | undefined): void {
    if (address === undefined) return;
    const set = this.open.get(address);
    if (!set) return;
    set.delete(client);
    if (!set.size) this.open.delete(address);
  }

  /** Addresses with a connection open now: one that closed its last is forgotten (tests). */
  get addresses(): number {
    return this.open.size;
  }

  /** Connections open from an address now (tests, /healthz). */
  count(address: string): number {
    return this.open.get(address)?.size ?? 0;
  }
}
