import { defineConfig } from 'vitest/config';

// unit: pure, fast, no servers. integration/e2e: real Redis and Kafka started by scripts/test.sh
// (test/support/services.ts fails loudly when they are not there). The machine has 2 cores.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
