// The npm package is the product: the CLI, its docs and the example. The
// benchmarks and the fake Ollama are compiled into dist/ for the suite, but
// never shipped.

import { execa } from "execa";
import { describe, expect, it } from "vitest";

describe("the npm package", () => {
  it("holds dist/src and friends, and nothing of dist/bench or dist/test", async () => {
    const r = await execa("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    const [pack] = JSON.parse(r.stdout) as [{ files: { path: string }[] }];
    const paths = pack.files.map((f) => f.path);
    expect(paths).toContain("dist/src/cli/main.js");
    expect(paths).toContain("README.md");
    expect(paths.filter((p) => p.startsWith("dist/bench/") || p.startsWith("dist/test/"))).toEqual([]);
  });
});
