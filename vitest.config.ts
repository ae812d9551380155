import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Browser tests start Chromium; two cores do not run many of them at once well.
    maxWorkers: 2,
    reporters: ["default", "./tests/helpers/summaryReporter.ts"],
  },
});
