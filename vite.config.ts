// The client build (root client/, output dist/client, dev proxy to the game server) and the test runner's projects.
import { defineConfig, type Plugin } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
/** the game server the dev server forwards the API and room WebSockets to (npm start runs it on 2567) */
const gameServer = process.env.GAME_SERVER ?? `http://localhost:${process.env.GAME_PORT ?? 2567}`;

/**
 * Phaser without physics, sound and debug code: the client uses none of them. Phaser's sources mark optional
 * parts with `typeof FLAG` tests that its own webpack build replaces; this does the same for Vite.
 */
const PHASER_FLAGS: Record<string, boolean> = {
  WEBGL_RENDERER: true, CANVAS_RENDERER: true, WEBGL_DEBUG: false, FEATURE_SOUND: false,
  PLUGIN_CAMERA3D: false, PLUGIN_FBINSTANT: false, EXPERIMENTAL: false,
};
/** what every scene needs from Phaser.GameObjects, whichever game objects it adds */
const GAME_OBJECT_CORE = ['Events', 'DisplayList', 'GameObjectCreator', 'GameObjectFactory', 'UpdateList', 'Components', 'GetCalcMatrix',
  'BuildGameObject', 'BuildGameObjectAnimation', 'GameObject', 'Light', 'LightsManager', 'LightsPlugin'];

/**
 * `gameObjects`: the game objects the scenes add (`this.add.image` → 'Image'); the others' code is left out (their
 * factories register themselves when required, so an unused one still costs its whole code). All of them when not given.
 */
export function leanPhaser(gameObjects?: string[]): Plugin {
  const flags = new RegExp(`typeof (${Object.keys(PHASER_FLAGS).join('|')})\\b`, 'g');
  const keep = new Set([...GAME_OBJECT_CORE, ...(gameObjects ?? [])]);
  // `Name: require(...)` entries of the namespace, and `GameObjects[.Factories|.Creators].Name = require(...)` ones
  const entry = /^\s*(?:GameObjects\.(?:(?:Factories|Creators)\.)?)?(\w+)\s*[:=]\s*require\([^)]*\)[,;]?\s*$/gm;
  return {
    name: 'lean-phaser',
    enforce: 'pre',
    // production builds only: the dev server serves the package's own ESM build (Phaser's CommonJS sources need bundling)
    apply: 'build',
    resolveId(id) {
      if (id === 'phaser') return here('node_modules/phaser/src/phaser-no-physics.js');
      return null;
    },
    transform(code, id) {
      if (!id.includes('/node_modules/phaser/src/')) return null;
      let out = code.replace(flags, (_m, f: string) => String(PHASER_FLAGS[f])).replace(/^global\.Phaser = Phaser;$/m, '');
      // namespaces the map never uses (it draws its own geometry); whatever needs them internally still requires them
      if (id.endsWith('/phaser-no-physics.js')) out = out.replace(/^\s*(Tilemaps|Filters): require\('[^']+'\),?$/gm, '');
      if (gameObjects && id.endsWith('/src/gameobjects/index.js')) out = out.replace(entry, (line, name: string) => (keep.has(name) ? line : ''));
      return out;
    },
  };
}

/** Fetches the code of these modules' chunks (and what they import) with the page, so it is parsed by the time it is imported. */
function preloadChunks(modules: string[]): Plugin {
  return {
    name: 'preload-chunks',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {}).filter((c) => c.type === 'chunk');
        const entry = new Set(chunks.filter((c) => c.isEntry).map((c) => c.fileName));
        const files = new Set<string>();
        for (const m of modules) {
          const chunk = chunks.find((c) => c.facadeModuleId?.endsWith(m));
          if (!chunk) throw new Error(`preload-chunks: no chunk for ${m}`);
          // (not the entry, nor what Vite already preloads for it)
          for (const f of [chunk.fileName, ...chunk.imports]) if (!entry.has(f) && !html.includes(`/${f}"`)) files.add(f);
        }
        return [...files].map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` }, injectTo: 'head' as const }));
      },
    },
  };
}

export default defineConfig(({ mode }) => ({
  // vitest runs in mode "test" from the repository root; the client build and dev server use client/
  ...(mode === 'test' ? {} : {
    root: here('client/'),
    publicDir: false as const,
    appType: 'spa' as const,
    // the map's scene (client/scenes/MapScene.ts) adds images only
    // the still map: a match link draws it right after the first frame (client/ui/map-view.ts)
    plugins: [leanPhaser(['Image']), preloadChunks(['/client/map/painter.ts'])],
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
