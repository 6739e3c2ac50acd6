// `npm start`: the game server on PORT (default 2567), SQLite in DATA_DIR, no outside service.
import { startServer } from '../main.ts';
import type { Limits } from '../context.ts';
import { limitsFromEnv } from '../limits.ts';

const port = Number(process.env.PORT ?? 2567);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got "${process.env.PORT}"`);
  process.exit(2);
}

// every limit can be set from the environment (server/limits.ts; the README lists them)
let limits: Partial<Limits>;
try {
  limits = limitsFromEnv();
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
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
