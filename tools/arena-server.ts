// The arena's embedded game server, in a process of its own: the arena's process stays small, so starting an agent
// program (a fork of it) stays cheap. Seeded: a match created with the idempotency key "arena:RUN:MATCH:SEED" gets SEED.
//   node tools/arena-server.ts DATA_DIR   (prints {"port": N} once listening; stops when its stdin closes)
import { join } from 'node:path';
import { startServer } from '../server/main.ts';
import { createLogger } from '../server/log.ts';
import { openStore } from '../server/store/index.ts';
import type { MatchStore } from '../server/store/types.ts';

/** A store that gives each new match the seed its idempotency key names: seeded matches through the real API. */
export function seededStore(store: MatchStore): MatchStore {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'createMatch') {
        return (header: Parameters<MatchStore['createMatch']>[0], options?: Parameters<MatchStore['createMatch']>[1]) => {
          const seed = /^arena:[^:]+:\d+:(\d+)$/.exec(options?.idempotencyKey ?? '')?.[1];
          if (seed !== undefined) header.seed = Number(seed);
          return target.createMatch(header, options);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: node tools/arena-server.ts DATA_DIR\n');
  process.exit(2);
}
const store = seededStore(await openStore({ path: join(dataDir, 'matches.sqlite') }));
// the agents face the usual per-seat limits; only the per-address allowances (new matches, code look-ups) are raised
// for one address's many matches
const server = await startServer({
  port: 0,
  store,
  logger: createLogger({ level: process.env.ARENA_LOG ?? 'silent' }),
  limits: { matchesPerMinutePerIp: 100_000 },
  guard: { codeLookupPointsPerMinute: 1_000_000 },
});
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
// the arena closes our stdin when it is done (or dies): then close the server and go
process.stdin.resume();
process.stdin.on('end', () => {
  void server.close().finally(() => process.exit(0));
});
