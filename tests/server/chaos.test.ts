// The chaos bench, short: three processes, three SIGKILLs and restarts under bot-and-client matches played to their end.
import { describe, it, expect } from 'vitest';
import { requireBinary } from '../helpers/services.ts';
import { requirePostgres } from '../helpers/postgres.ts';
import { runChaos, describeChaos } from '../../bench/chaos.ts';

const haveRedis = requireBinary('/usr/bin/redis-server', 'redis-server');
const pg = requirePostgres('the short chaos run (tests/server/chaos.test.ts)');

describe.skipIf(!haveRedis || !pg.available)('chaos, short', () => {
  it('keeps one room per match, every acknowledged action, whole logs and every seat through three kills', async () => {
    const r = await runChaos({ processes: 3, matches: 8, seconds: 60, killEverySeconds: 6, maxKills: 3, phaseEverySeconds: 1, finishSeconds: 40, log: () => undefined });
    console.log(describeChaos(r));
    expect(r.kills).toBe(3);
    expect(r.maxRoomsPerMatch).toBeLessThanOrEqual(1);
    expect(r.samples).toBeGreaterThan(50);
    expect(r.acknowledged).toBeGreaterThan(100);
    expect(r.lost).toEqual([]);
    expect(r.corrupted).toEqual([]);
    expect(r.seatsBack).toBe(r.seats);
    expect(r.incompleteRecords).toEqual([]);
    expect(r.finished).toBeGreaterThan(0);
    expect(r.ok).toBe(true);
  }, 115_000);
});
