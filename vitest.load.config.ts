import { defineConfig } from 'vitest/config';

/** `npm run test:load`: the kill -9 durability suites (minutes; not part of `npm test`). */
export default defineConfig({
  test: {
    include: ['tests/load/**/*.load.ts'],
    testTimeout: 900_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default'],
  },
});
