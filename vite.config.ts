// The client build (added with the Phaser client) and the test runner's projects.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['tests/helpers/node-websocket.ts'],
  },
});
