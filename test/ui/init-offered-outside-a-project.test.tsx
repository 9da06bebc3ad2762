import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { projectToml } from "../../src/project/templates.js";
import { tempDir } from "../helpers/cli.js";
import { renderApp, testEnv, type AppHarness } from "./render-app.js";

let dir: string;
let cleanup: () => Promise<void>;
let app: AppHarness | undefined;

const DOWN = "http://127.0.0.1:9";

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-ui-"));
});
afterEach(async () => {
  app?.unmount();
  await cleanup();
});

describe("outside a project", () => {
  it("offers init, and on yes writes the project and opens it", async () => {
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN) });
    await app.waitFor((f) => f.includes(`No specwright project here. Create one in ${dir}?`), "the init offer");
    expect(existsSync(join(dir, "specwright.toml"))).toBe(false);
    await app.press("y");
    const f = await app.waitFor((x) => x.includes(basename(dir)) && /Specs 2 files: ✓ valid/.test(x), "the new project's overview");
    expect(f).not.toContain("No specwright project here");
    expect(await readFile(join(dir, "specwright.toml"), "utf8")).toBe(projectToml(basename(dir)));
    expect(existsSync(join(dir, "specs/greeter.smd"))).toBe(true);
    expect(existsSync(join(dir, "specs/greeter.amd"))).toBe(true);
    expect(await readFile(join(dir, ".gitignore"), "utf8")).toContain(".specwright/runs/\n.specwright/lock\n");
  });

  it("writes nothing on no, and i on the Overview offers it again", async () => {
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN) });
    await app.waitFor((f) => f.includes("Create one in"), "the init offer");
    await app.press("n");
    await app.waitFor((f) => f.includes("No specwright project here") && f.includes("i creates one here"), "the overview without a project");
    expect(existsSync(join(dir, "specwright.toml"))).toBe(false);
    await app.press("i");
    await app.waitFor((f) => f.includes("Create one in"), "the offer again");
    await app.press("y");
    await app.waitFor((f) => /Specs 2 files: ✓ valid/.test(f), "the new project's overview");
    expect(existsSync(join(dir, "specwright.toml"))).toBe(true);
  });
});
