// `status --coverage` and `plan --check`'s unreferenced items: on the wordfreq
// example as the scripted demo builds it (with the verification cases of
// test/fixtures/vmd/wordfreq.vmd), and on Ossature's yep example with its one
// requirement deliberately left out of the plan.

import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { E2E_TEST_MS } from "../helpers/budget.js";
import { CLI, FIXTURES, runCli, tempDir } from "../helpers/cli.js";

interface Item {
  kind: string;
  id: string;
  tasks: string[];
  checks: { kind: string; name: string; task: string; result: string }[];
  result: string;
  file: string;
  line: number;
}

describe("coverage of the wordfreq example", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    // The whole scripted pipeline takes longer than one CLI step's budget on a busy machine.
    const demo = await execa("node", [CLI, "demo", "wf", "--plain"], { cwd: dir, reject: false, stdin: "ignore", env: { NO_COLOR: "1", OLLAMA_HOST: undefined, SPECWRIGHT_BUILD_REVIEW: "off" }, timeout: E2E_TEST_MS - 10_000 });
    expect(demo.exitCode, String(demo.stderr)).toBe(0);
    dir = join(dir, "wf");
    await cp(join(FIXTURES, "vmd", "wordfreq.vmd"), join(dir, "specs", "wordfreq.vmd"));
  });
  afterAll(() => cleanup());

  it("maps every item to its tasks, checks and last result", async () => {
    const before = JSON.parse((await runCli(["status", "--coverage", "--json"], { cwd: dir })).stdout) as { items: Item[] };
    // Cases not run yet: their items say so, and the requirements they cover are still checked by verify.
    expect(before.items.find((i) => i.id === "cases/WORDFREQ:countWords/ties")).toMatchObject({ tasks: ["T001"], result: "not-run" });
    const check = await runCli(["check"], { cwd: dir });
    expect(check.exitCode, check.stdout).toBe(0);
    const r = await runCli(["status", "--coverage", "--json"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    const { items, summary } = JSON.parse(r.stdout) as { items: Item[]; summary: Record<string, number> };
    expect(items.filter((i) => i.kind !== "case").map((i) => `${i.id} ${i.tasks.join(",")} ${i.result}`)).toEqual([
      "requirements/count-words T001,T002 pass",
      "requirements/top-words T001,T002 pass",
      "requirements/cli T003,T004 pass",
      "acceptance-criteria/1 T002,T004 pass",
      "acceptance-criteria/2 T002,T004 pass",
      "acceptance-criteria/3 T002,T004 pass",
      "components/Count/contracts/1 T001 pass",
      "components/Count/contracts/2 T001 pass",
      "components/Cli/contracts/1 T003 pass",
      "components/Cli/contracts/2 T003 pass",
    ]);
    const topWords = items.find((i) => i.id === "requirements/top-words")!;
    expect(topWords.checks.filter((c) => c.kind === "verify").map((c) => c.name)).toEqual(["node --check src/count.mjs", "node --test test/count.test.mjs"]);
    expect(topWords.checks.filter((c) => c.kind === "case").map((c) => `${c.name} ${c.task} ${c.result}`)).toEqual([
      "WORDFREQ:topWords/first_two T001 pass",
      "WORDFREQ:topWords/fewer T001 pass",
      "WORDFREQ:topWords/zero T001 pass",
      "WORDFREQ:topWords/fraction T001 pass",
    ]);
    // The scenarios run the program T003 writes.
    expect(items.find((i) => i.id === "cases/WORDFREQ:scenario:a_missing_file_is_named")).toMatchObject({ tasks: ["T003"], result: "pass", file: "specs/wordfreq.vmd", line: 20 });
    expect(summary).toEqual({ items: 20, pass: 20, fail: 0, notRun: 0, unchecked: 0, unreferenced: 0 });
    const table = await runCli(["status", "--coverage"], { cwd: dir });
    expect(table.stdout).toMatch(/^ {2}requirements\/top-words\s+T001,T002\s+2 verify, 4 cases\s+pass\s+smd:34$/m);
    expect(Math.max(...table.stdout.split("\n").map((l) => l.length))).toBeLessThanOrEqual(80);
  });

  it("shows a failed case on the requirement it covers, and plan --check warns about what no task references", async () => {
    const vmd = join(dir, "specs", "wordfreq.vmd");
    await writeFile(vmd, (await readFile(vmd, "utf8")).replace('fewer     | [["a", 3]]                     | 5 | [["a", 3]]', 'fewer     | [["a", 3]]                     | 5 | [["a", 4]]'));
    expect((await runCli(["check", "WORDFREQ"], { cwd: dir })).exitCode).toBe(1);
    const { items } = JSON.parse((await runCli(["status", "--coverage", "--json"], { cwd: dir })).stdout) as { items: Item[] };
    expect(items.find((i) => i.id === "requirements/top-words")!.result).toBe("fail");
    expect(items.find((i) => i.id === "requirements/count-words")!.result).toBe("pass");

    const plan = join(dir, ".specwright", "plan.toml");
    const text = await readFile(plan, "utf8");
    await writeFile(plan, text.replaceAll(', "acceptance criteria"]', "]"));
    const checked = await runCli(["plan", "--check"], { cwd: dir });
    expect(checked.exitCode).toBe(0);
    expect(checked.stdout).toContain('specs/wordfreq.smd:83:1: warning: acceptance criterion 1: `countWords("The the THE")` returns `[["the", 3]]` — is referenced by no task');
    expect(checked.stdout).toContain("hint: add the `acceptance criteria` section to the refs of the task that makes it true");
    expect(checked.stdout).toMatch(/specs\/wordfreq\.smd:85:1: warning: acceptance criterion/);
    expect(checked.stdout).toContain("0 errors, 3 warnings");
  });
});

describe("coverage of Ossature's yep example", () => {
  it("warns about its requirement when the plan leaves it out, and still counts the .vmd scenarios that cover it", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await cp(join(FIXTURES, "ossature", "yep", "specs"), join(dir, "specs"), { recursive: true });
      await writeFile(join(dir, "specwright.toml"), '[project]\nname = "yep"\n\n[output]\ndir = "output"\nlanguage = "zig"\n');
      await mkdir(join(dir, ".specwright"), { recursive: true });
      await writeFile(
        join(dir, ".specwright", "plan.toml"),
        'version = 1\n\n[[task]]\nid = "T001"\nspec = "YEP"\ntitle = "Build files"\noutputs = ["build.zig"]\ndepends_on = []\nrefs = ["constraints"]\nverify = []\nstatus = "auto"\n',
      );
      const checked = await runCli(["plan", "--check"], { cwd: dir });
      expect(checked.stdout).toContain("specs/YEP.smd:35:1: warning: requirement `output-repeated-string` (Output Repeated String) is referenced by no task");
      const r = await runCli(["status", "--coverage", "--json"], { cwd: dir });
      const { items } = JSON.parse(r.stdout) as { items: Item[] };
      const requirement = items.find((i) => i.id === "requirements/output-repeated-string")!;
      expect(requirement.tasks).toEqual([]);
      expect(requirement.checks.map((c) => `${c.kind} ${c.name} ${c.task} ${c.result}`)).toEqual([
        "case YEP:scenario:rejects_bytes_that_are_never_valid_utf_8 T001 not-run",
        "case YEP:scenario:rejects_a_lone_continuation_byte T001 not-run",
        "case YEP:scenario:rejects_invalid_utf_8_in_any_argument T001 not-run",
      ]);
      expect(requirement.result).toBe("not-run");
    } finally {
      await cleanup();
    }
  });
});
