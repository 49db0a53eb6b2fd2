// vitest: the default reporter for people, plus a plain closing line for CI.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "./test/reporters/plainSummary.ts"],
    testTimeout: 120_000,
  },
});
