// The client build (root client/, output dist/client, dev proxy to the game server) and the test runner's projects.
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
/** the game server the dev server forwards the API and room WebSockets to (npm start runs it on 2567) */
const gameServer = process.env.GAME_SERVER ?? `http://localhost:${process.env.GAME_PORT ?? 2567}`;

export default defineConfig(({ mode }) => ({
  // vitest runs in mode "test" from the repository root; the client build and dev server use client/
  ...(mode === 'test' ? {} : {
    root: here('client/'),
    publicDir: false as const,
    appType: 'spa' as const,
    build: {
      outDir: here('dist/client/'),
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 2000,
      reportCompressedSize: false,
    },
    server: {
      port: Number(process.env.CLIENT_PORT ?? 5173),
      fs: { allow: [here('.')] },
      proxy: {
        '/api': gameServer,
        '/healthz': gameServer,
        '/matchmake': gameServer,
        // room WebSockets: /<processId>/<roomId>?sessionId=...
        '^/[^/?]+/[^/?]+\\?sessionId=': { target: gameServer, ws: true },
      },
    },
  }),
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['tests/helpers/node-websocket.ts'],
  },
}));
