import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'bench/tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    setupFiles: ['tests/setup.ts'],
    reporters: ['default', ['json', { outputFile: 'tests/artifacts/vitest-results.json' }]],
  },
});
