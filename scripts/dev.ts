// `npm run dev`: the game server (restarts when server/ or shared/ change) and Vite's hot-reloading client, together.
import { spawn, type ChildProcess } from 'node:child_process';
import { watch } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const gamePort = Number(process.env.GAME_PORT ?? 2567);
process.env.GAME_PORT = String(gamePort);

let game: ChildProcess | null = null;
function startGame() {
  game = spawn(process.execPath, ['server/cli/serve.ts'], { cwd: root, stdio: 'inherit', env: { ...process.env, PORT: String(gamePort) } });
}
startGame();

let restartTimer: NodeJS.Timeout | null = null;
for (const dir of ['server', 'shared']) {
  watch(`${root}${dir}`, { recursive: true }, () => {
    if (restartTimer) clearTimeout(restartTimer);
    restartTimer = setTimeout(() => {
      console.log('[dev] server code changed: restarting the game server (matches come back from the store)');
      const old = game;
      old?.once('exit', startGame);
      old?.kill('SIGTERM');
    }, 300);
  });
}

const vite = await createServer({ configFile: `${root}vite.config.ts`, mode: 'development' });
await vite.listen();
vite.printUrls();
console.log(`[dev] game server on http://localhost:${gamePort}; open the Vite address above (it forwards /api and the rooms)`);

const stop = async () => { game?.kill('SIGTERM'); await vite.close(); process.exit(0); };
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
