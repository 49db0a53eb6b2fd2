// vitest: the default reporter for people, plus a plain closing line for CI. A scenario file that
// imports "dsim" (or "dsim/kit") and is loaded in the test's own thread gets this repository's
// sources, as the binary's loader gives them (src/explore/typescript.js).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: [
      { find: /^dsim$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) },
      { find: /^dsim\/kit$/, replacement: fileURLToPath(new URL("./src/kit/index.ts", import.meta.url)) },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "./test/reporters/plainSummary.ts"],
    testTimeout: 120_000,
  },
});
