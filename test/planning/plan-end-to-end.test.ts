import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { FIXTURES, runCli, tempDir } from "../helpers/cli.js";
import { CALC_AMD, CALC_SMD, PROJECT_TOML, REPORT_SMD, writeProject } from "../helpers/spec-project.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  fake = await startFakeOllama();
  await writeProject(dir, { "specwright.toml": PROJECT_TOML, "specs/calc.smd": CALC_SMD, "specs/calc.amd": CALC_AMD });
});
afterEach(async () => {
  await fake.close();
  await cleanup();
});

const plan = (...args: string[]) => runCli(["plan", ...args], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
const planToml = () => readFile(join(dir, ".specwright/plan.toml"), "utf8");

interface AnswerTask {
  key: string;
  title: string;
  description?: string;
  outputs: string[];
  depends_on?: string[];
  refs: string[];
  verify: string[];
  edits?: string[];
}
const answer = (tasks: AnswerTask[]) => ({ content: JSON.stringify({ tasks: tasks.map((t) => ({ description: "", depends_on: [], ...t })) }) });

const CALC_TASKS: AnswerTask[] = [
  { key: "1", title: "Arithmetic", outputs: ["calc/arith.py"], refs: ["requirements/add", "requirements/divide", "components/Arith"], verify: ["python3 -m py_compile calc/arith.py"] },
  { key: "2", title: "CLI", outputs: ["calc/cli.py"], depends_on: ["1"], refs: ["components/Cli"], verify: ["python3 -m py_compile calc/cli.py"] },
];
const REPORT_TASKS: AnswerTask[] = [
  { key: "1", title: "Report", outputs: ["report/main.py"], refs: ["requirements/total"], verify: ["python3 -m py_compile report/main.py"] },
];

describe("specwright plan", () => {
  it("writes a validated plan from the planner's answer, with T-numbered ids", async () => {
    fake.script(answer(CALC_TASKS));
    const r = await plan();
    expect(r.exitCode, r.stderr).toBe(0);
    const text = await planToml();
    expect(text).toContain('id = "T001"');
    expect(text).toContain('depends_on = ["T001"]');
    expect(text.startsWith("# specwright build plan")).toBe(true);
    expect(r.stdout).toMatch(/T002\s+CALC\s+CLI\s+calc\/cli\.py\s+T001\s+auto/);
    const [request] = fake.promptRequests();
    const user = request!.messages![1]!.content;
    expect(user).toContain("- requirements/divide");
    expect(user).toContain("- components/Cli");
    expect(user).toContain("python3 -m py_compile");
    expect(request!.format).toMatchObject({ required: ["tasks"] });

    // Nothing changed: zero model calls.
    const again = await plan();
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toContain("plan is up to date");
    expect(fake.promptRequests()).toHaveLength(1);
  });

  it.each([
    ["a dependency cycle", [{ ...CALC_TASKS[0]!, depends_on: ["2"] }, CALC_TASKS[1]!], "cycle"],
    ["a ref that resolves nowhere", [{ ...CALC_TASKS[0]!, refs: ["requirements/multiply"] }, CALC_TASKS[1]!], "requirements/multiply"],
    ["two tasks creating one file", [CALC_TASKS[0]!, { ...CALC_TASKS[1]!, outputs: ["calc/arith.py"] }], "calc/arith.py"],
    ["an absolute output path", [{ ...CALC_TASKS[0]!, outputs: ["/etc/arith.py"] }, CALC_TASKS[1]!], "/etc/arith.py"],
    ["a path leaving the output dir", [{ ...CALC_TASKS[0]!, outputs: ["../arith.py"] }, CALC_TASKS[1]!], "../arith.py"],
  ])("re-asks once with the diagnostics for %s, then stops with them", async (_name, bad, mention) => {
    fake.script(answer(bad), answer(bad));
    const r = await plan();
    expect(r.exitCode).toBe(1);
    const [first, second] = fake.promptRequests();
    expect(fake.promptRequests()).toHaveLength(2);
    const reask = second!.messages!.at(-1)!.content;
    expect(reask).toContain(mention);
    expect(second!.messages!.slice(0, 2)).toEqual(first!.messages);
    expect(r.stderr).toContain("invalid twice");
    expect(r.stderr).toContain(mention);
  });

  it("accepts a corrected answer after the re-ask", async () => {
    fake.script(answer([{ ...CALC_TASKS[0]!, refs: ["requirements/multiply"] }, CALC_TASKS[1]!]), answer(CALC_TASKS));
    const r = await plan();
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await planToml()).toContain('"requirements/divide"');
  });

  it("re-plans only the changed spec and keeps the other spec's tasks and people's edits", async () => {
    await writeProject(dir, { "specs/report.smd": REPORT_SMD });
    fake.script(answer(CALC_TASKS), answer(REPORT_TASKS));
    expect((await plan()).exitCode).toBe(0);
    // A person edits the plan: a comment, a note, a changed verify command.
    const edited = (await planToml())
      .replace('title = "CLI"', 'title = "CLI" # the entry point')
      .replace('verify = ["python3 -m py_compile calc/cli.py"]', 'verify = ["python3 -m py_compile calc/cli.py", "python3 calc/cli.py --help"]');
    await writeFile(join(dir, ".specwright/plan.toml"), edited);
    await writeFile(join(dir, "specs/report.smd"), REPORT_SMD.replace("One line with the total.", "One line: the total."));
    fake.script(answer([...REPORT_TASKS, { key: "2", title: "Report tests", outputs: ["tests/test_report.py"], depends_on: ["1"], refs: ["requirements/total"], verify: ["python3 -m py_compile tests/test_report.py"] }]));
    const r = await plan();
    expect(r.exitCode, r.stderr).toBe(0);
    expect(fake.promptRequests()).toHaveLength(3);
    expect(fake.promptRequests()[2]!.messages![1]!.content).toContain("Spec REPORT");
    const after = await planToml();
    expect(after).toContain('title = "CLI" # the entry point');
    expect(after).toContain('"python3 calc/cli.py --help"');
    // The report task producing the same file kept its id; the new one got the next free id.
    expect(after).toMatch(/id = "T003"\nspec = "REPORT"\ntitle = "Report"\n/);
    expect(after).toContain('id = "T004"');
    expect(after.indexOf('id = "T001"')).toBeLessThan(after.indexOf('id = "T004"'));
  });

  it("derives a plan from the Ossature fixture's architecture without a model", async () => {
    const yep = join(dir, "yep");
    await cp(join(FIXTURES, "ossature/yep"), yep, { recursive: true });
    const r = await runCli(["plan", "--from-architecture"], { cwd: yep, env: { OLLAMA_HOST: fake.url } });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(fake.requests).toHaveLength(0);
    const text = await readFile(join(yep, ".specwright/plan.toml"), "utf8");
    expect(text).toMatch(/id = "T001"\nspec = "YEP"\ntitle = "OutputLoop"/);
    expect(text).toMatch(/id = "T002"\nspec = "YEP"\ntitle = "Main"\n/);
    expect(text.slice(text.indexOf('id = "T002"'))).toContain('depends_on = ["T001"]');
    expect(text).toContain('refs = ["components/Main", "requirements/output-repeated-string", "constraints"]');
    expect(text).toContain('"rustfmt --edition 2021 --emit stdout src/main.rs > /dev/null"');
  });

  it("reports hand-edit mistakes in plan.toml with line and column", async () => {
    fake.script(answer(CALC_TASKS));
    await plan();
    const text = await planToml();
    await writeFile(join(dir, ".specwright/plan.toml"), text.replace('depends_on = ["T001"]', 'depends_on = ["T009"]').replace('status = "auto"', 'stauts = "auto"'));
    const r = await plan("--check");
    expect(r.exitCode).toBe(1);
    const lines = (await planToml()).split("\n");
    const unknownLine = lines.findIndex((l) => l.startsWith("stauts")) + 1;
    const depLine = lines.findIndex((l) => l.includes('"T009"')) + 1;
    expect(r.stdout).toContain(`.specwright/plan.toml:${unknownLine}:1: error: Task T001 has an unknown field "stauts"`);
    expect(r.stdout).toContain(`.specwright/plan.toml:${depLine}:`);
    expect(r.stdout).toContain("T009");

    await writeFile(join(dir, ".specwright/plan.toml"), text.replace('title = "CLI"', 'title = "CLI'));
    const syntax = await plan("--check");
    expect(syntax.exitCode).toBe(1);
    const badLine = text.split("\n").findIndex((l) => l === 'title = "CLI"') + 1;
    expect(syntax.stdout).toMatch(new RegExp(`\\.specwright/plan\\.toml:${badLine}:\\d+: error`));
  });

  it("refuses --replan without a terminal unless --yes", async () => {
    fake.script(answer(CALC_TASKS));
    await plan();
    const refused = await plan("--replan");
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain("--yes");
    fake.script(answer(CALC_TASKS));
    const r = await plan("--replan", "--yes");
    expect(r.exitCode).toBe(0);
    expect(fake.promptRequests()).toHaveLength(2);
  });
});
