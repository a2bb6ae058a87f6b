import { defineConfig } from 'vitest/config';

// One runner for every package; each package keeps its tests in packages/<name>/test.
export default defineConfig({
  resolve: { conditions: ['headway-src'] },
  ssr: { resolve: { conditions: ['headway-src'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'packages/*/test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['packages/server/test/support/global-setup.ts'],
  },
});
