import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCli, tempDir } from "../helpers/cli.js";
import { CALC_AMD, CALC_SMD } from "../helpers/spec-project.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await mkdir(join(dir, "specs"));
});
afterEach(() => cleanup());

describe("specwright validate", () => {
  it("reports invalid UTF-8 at its line and column with an excerpt, and exits 1", async () => {
    const at = CALC_SMD.indexOf("library.");
    const bytes = Buffer.concat([Buffer.from(CALC_SMD.slice(0, at)), Buffer.from([0xff]), Buffer.from(CALC_SMD.slice(at))]);
    await writeFile(join(dir, "specs/calc.smd"), bytes);
    const r = await runCli(["validate", "specs"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    const line = CALC_SMD.split("\n").findIndex((l) => l.startsWith("A small calculator")) + 1;
    expect(r.stdout).toContain(`specs/calc.smd:${line}:20: error: invalid UTF-8: byte 0xff`);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it("accepts a BOM and CRLF line endings and reports correct lines", async () => {
    await writeFile(join(dir, "specs/calc.smd"), "\uFEFF" + CALC_SMD.replace(/\n/g, "\r\n"));
    await writeFile(join(dir, "specs/calc.amd"), CALC_AMD.replace(/\n/g, "\r\n").replace("@path: calc/cli.py\r\n", ""));
    const r = await runCli(["validate", "specs"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    const line = CALC_AMD.split("\n").indexOf("### Cli") + 1;
    expect(r.stdout).toContain(`specs/calc.amd:${line}:1: error: component \`Cli\` has no \`@path:\``);
    expect(r.stdout).not.toContain("calc.smd:");
  });

  it("says so for an empty file (at 1:1, like every diagnostic) and for a folder without specs", async () => {
    await writeFile(join(dir, "specs/empty.smd"), "");
    await mkdir(join(dir, "nothing"));
    const r = await runCli(["validate", "specs", "nothing"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("specs/empty.smd:1:1: error: the file is empty");
    expect(r.stdout).toContain("nothing: error: no spec files (*.smd, *.amd, *.vmd) in this folder");
  });

  it("prints {specs, diagnostics} with --json", async () => {
    await writeFile(join(dir, "specs/calc.smd"), CALC_SMD);
    const r = await runCli(["validate", "specs", "--json"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    const json = JSON.parse(r.stdout) as { specs: { id: string; requirements: number }[]; diagnostics: unknown[] };
    expect(json.specs).toEqual([expect.objectContaining({ id: "CALC", requirements: 2 })]);
    expect(json.diagnostics).toEqual([]);
    // Every key the help promises is there.
    const help = (await runCli(["validate", "--help"], { cwd: dir })).stdout;
    const promised = /--json +print \{([^}]+)\}/.exec(help)![1]!.split(",").map((k) => k.trim());
    expect(promised).toContain("verifications");
    expect(Object.keys(json).sort()).toEqual([...promised].sort());
  });

  it("checks a lone architecture file on its own", async () => {
    await writeFile(join(dir, "specs/calc.amd"), CALC_AMD);
    const r = await runCli(["validate", "specs/calc.amd"], { cwd: dir });
    expect(r.exitCode, r.stdout).toBe(0);
  });

  it("gives a folder named on the command line the cross-file checks a project gets", async () => {
    await writeFile(join(dir, "specwright.toml"), '[project]\nname = "calc"\n');
    await writeFile(join(dir, "specs/calc.smd"), CALC_SMD);
    await writeFile(join(dir, "specs/ghost.amd"), CALC_AMD.replace("spec: CALC", "spec: GHOST"));
    const inProject = await runCli(["validate"], { cwd: dir });
    const folder = await runCli(["validate", "specs"], { cwd: dir });
    const unknownSpec = "specs/ghost.amd:2:7: error: architecture for unknown spec `GHOST`";
    expect(inProject.stdout).toContain(unknownSpec);
    expect(folder.exitCode).toBe(1);
    expect(folder.stdout).toContain(unknownSpec);
    // A lone file is still checked on its own: its spec need not be among the inputs.
    const lone = await runCli(["validate", "specs/ghost.amd"], { cwd: dir });
    expect(lone.exitCode, lone.stdout).toBe(0);
  });

  it("prints a dependency cycle with its path", async () => {
    const spec = (id: string, dep: string) => `---\nid: ${id}\ndepends: [${dep}]\n---\n\n# ${id}\n\n## Requirements\n\n### Do it\n\nIt does it.\n`;
    await writeFile(join(dir, "specs/a.smd"), spec("A", "B"));
    await writeFile(join(dir, "specs/b.smd"), spec("B", "A"));
    const r = await runCli(["validate", "specs"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/A -> B -> A|B -> A -> B/);
  });
});
