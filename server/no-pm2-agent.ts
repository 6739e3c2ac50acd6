// Keeps @pm2/io's agent from starting in a server no PM2 watches: Colyseus loads it when it is installed (here as
// a dev dependency of @colyseus/testing) to report two counters, and its start-up lists every open handle each
// second, wraps HTTP and hooks exceptions: at 5,000 sockets about 1.5% of a core, for nobody.
const IO_KEY = Symbol.for('@pm2/io');
const slot = globalThis as unknown as Record<symbol, unknown>;
// @pm2/io uses an instance already in this slot instead of starting its own; under PM2 (pm_id set) it starts as usual
if (process.env.pm_id === undefined) slot[IO_KEY] ??= { metric: () => ({ set: () => undefined }) };
