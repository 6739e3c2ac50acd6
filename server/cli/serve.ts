// `npm start`: the game server on PORT (default 2567), SQLite in DATA_DIR, no outside service.
import { startServer } from '../main.ts';
import type { Limits } from '../context.ts';

const port = Number(process.env.PORT ?? 2567);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got "${process.env.PORT}"`);
  process.exit(2);
}

// MATCHES_PER_MINUTE_PER_IP raises the per-address match creation limit (e.g. for npm run loadtest on 127.0.0.1)
const matchesPerMinute = process.env.MATCHES_PER_MINUTE_PER_IP;
const limits: Partial<Limits> = {};
if (matchesPerMinute !== undefined && matchesPerMinute.trim() !== '') {
  const n = Number(matchesPerMinute);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`MATCHES_PER_MINUTE_PER_IP must be a whole number of at least 1, got "${matchesPerMinute}"`);
    process.exit(2);
  }
  limits.matchesPerMinutePerIp = n;
}

const running = await startServer({ port, limits }).catch((err: Error) => {
  console.error(`the game server could not start: ${err.message}`);
  process.exit(1);
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  running.logger.info({ signal }, 'shutting down: finishing in-flight work');
  // every accepted change is already in the store; closing waits for rooms to finish their current work
  await running.close().catch((err: Error) => running.logger.error({ err: err.message }, 'shutdown error'));
  running.logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
console.log(`The 2028 Window is running: http://localhost:${running.port}/ (API: /api/matches, health: /healthz)`);
