import { defineConfig } from "vitest/config";
import { E2E_TEST_MS, UNIT_TEST_MS } from "./test/helpers/budget.js";

// Two projects, both run by `npm test` (and so by CI):
// - unit: in-process tests (parsers, plans, prompts, the model adapter against
//   the fake Ollama over HTTP, traces, redaction): seconds in all.
// - e2e: tests that start processes — the built CLI, git, `sh` verify
//   commands, tmux — or render the whole TUI through a build.
// Chosen by folder and file here, not by moving files, so a test lands in the
// right project wherever it is added; `npm run test:unit` is the quick loop.
const E2E = [
  "test/audit/audit-end-to-end.test.ts",
  "test/build-e2e/**/*.test.ts",
  "test/build/run-lock.test.ts",
  "test/build/verify-runner.test.ts",
  "test/cli/**/*.test.ts",
  "test/demo/**/*.test.ts",
  "test/e2e/**/*.test.ts",
  "test/git/**/*.test.ts",
  "test/intent/**/*.test.ts",
  "test/intent/**/*.test.tsx",
  "test/planning/**/*.test.ts",
  "test/repo/package-ships-only-the-product.test.ts",
  "test/ui/**/*.test.tsx",
];
const ALL = ["test/**/*.test.ts", "test/**/*.test.tsx"];

export default defineConfig({
  test: {
    // End-to-end tests spawn the built CLI; two workers keep a 2-core machine responsive.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "unit", include: ALL, exclude: E2E, testTimeout: UNIT_TEST_MS, hookTimeout: UNIT_TEST_MS } },
      { extends: true, test: { name: "e2e", include: E2E, testTimeout: E2E_TEST_MS, hookTimeout: E2E_TEST_MS } },
    ],
  },
});
