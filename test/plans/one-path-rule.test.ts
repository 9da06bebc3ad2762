// Issue 9 items 7, 16, 25: one pure rule (plans/output-path.ts) for the paths
// a task may write, used by plan validation, the reply parser and safe writes.

import { describe, expect, it } from "vitest";
import { canonicalPath, outputPathProblem, type ProjectLayout } from "../../plans/output-path.js";
import { parsePlan } from "../../plans/plan.js";
import { validatePlan } from "../../plans/validate-plan.js";
import { parseReply } from "../../src/build/reply-protocol.js";

const OUTPUT = { outputDir: "output", specDir: "specs", contextDir: "context" };
const ROOT = { outputDir: ".", specDir: "specs", contextDir: "context" };

describe("outputPathProblem", () => {
  const table: [string, ProjectLayout, string | undefined][] = [
    ["src/count.mjs", OUTPUT, undefined],
    ["greeter/my cli.py", OUTPUT, undefined],
    ["[id].jsx", OUTPUT, undefined],
    ["src/./count.mjs", OUTPUT, 'the path has an empty or "." component; write it as "src/count.mjs"'],
    ["./src/a.py", OUTPUT, 'the path has an empty or "." component; write it as "src/a.py"'],
    ["src//a.py", OUTPUT, 'the path has an empty or "." component; write it as "src/a.py"'],
    ["src/", OUTPUT, 'the path ends with "/", so it names a directory, not a file'],
    ["src/ a.py", OUTPUT, "a component of the path starts or ends with a space"],
    ["", OUTPUT, "the path is empty"],
    ["a\nb.py", OUTPUT, "the path contains a control character (such as NUL or a line break)"],
    ["/etc/passwd", OUTPUT, "the path is absolute; paths are relative to the output dir"],
    ["~/x", OUTPUT, "the path is absolute; paths are relative to the output dir"],
    ["C:/x", OUTPUT, "the path is absolute; paths are relative to the output dir"],
    ["src\\a.py", OUTPUT, 'the path contains a backslash; use "/" between directories'],
    ["file`2`.py", OUTPUT, "the path contains a backtick, which a reply cannot name"],
    ["src/../../x.py", OUTPUT, 'the path contains ".." and could leave the output dir'],
    [".git/hooks/pre-commit", OUTPUT, "the path is inside a .git directory"],
    [".GIT/config", OUTPUT, "the path is inside a .git directory"],
    ["vendor/.Git/HEAD", OUTPUT, "the path is inside a .git directory"],
    [".specwright-staging/x", OUTPUT, "the path is inside specwright's staging dir .specwright-staging"],
    // With output.dir = "output" the project's files are outside the output dir: these names are free.
    ["specwright.toml", OUTPUT, undefined],
    [".specwright/plan.toml", OUTPUT, undefined],
    ["specs/a.smd", OUTPUT, undefined],
    // With output.dir = "." they are the project's own files.
    ["specwright.toml", ROOT, "the path is specwright's project config specwright.toml"],
    ["ossature.toml", ROOT, "the path is specwright's project config ossature.toml"],
    [".specwright/plan.toml", ROOT, "the path is inside specwright's own folder .specwright/"],
    [".SPECWRIGHT/state.json", ROOT, "the path is inside specwright's own folder .specwright/"],
    ["specs/evil.smd", ROOT, "the path is inside the spec dir specs/"],
    ["Specs/readme.txt", ROOT, "the path is inside the spec dir specs/"],
    ["context/notes.md", ROOT, "the path is inside the context dir context/"],
    ["specsheet.md", ROOT, undefined],
    [".gitignore", ROOT, undefined],
    // An output dir inside the spec dir: only files read as specs are refused.
    ["gen.smd", { outputDir: "specs/gen", specDir: "specs", contextDir: "context" }, "the path would be read as a spec in the spec dir specs/"],
    ["gen.py", { outputDir: "specs/gen", specDir: "specs", contextDir: "context" }, undefined],
    ["a.py", { outputDir: ".specwright/out", specDir: "specs", contextDir: "context" }, "the output dir is inside specwright's own folder .specwright/; no task may write there"],
    ["build/x.py", { outputDir: "./out/", specDir: "./specs", contextDir: "context" }, undefined],
    ["specs/x.smd", { outputDir: "./", specDir: "./specs", contextDir: "context" }, "the path is inside the spec dir specs/"],
  ];
  for (const [path, layout, reason] of table) {
    it(`${reason === undefined ? "allows" : "refuses"} ${JSON.stringify(path)} with output.dir ${JSON.stringify(layout.outputDir)}`, () => {
      expect(outputPathProblem(path, layout)).toBe(reason);
    });
  }

  it("spells a path one way", () => {
    expect(canonicalPath("./src//./a.py")).toBe("src/a.py");
    expect(canonicalPath("/etc//passwd")).toBe("/etc/passwd");
  });
});

describe("plan validation and the reply parser use the rule", () => {
  const spec = { id: "S", sections: [], requirements: [], components: [] };

  it("plan validation refuses with the rule's own words, and the reply parser accepts every path the plan accepts", () => {
    const paths = ["src/count.mjs", "greeter/my cli.py", "src/./count.mjs", "specwright.toml", ".GIT/x"];
    const text = `[[task]]\nid = "T1"\nspec = "S"\ntitle = "t"\noutputs = [${paths.map((p) => JSON.stringify(p)).join(", ")}]\n`;
    const { plan } = parsePlan(text);
    const messages = validatePlan(plan!, { specs: [spec], isOnPath: () => true, layout: ROOT }).map((d) => d.message);
    expect(messages).toEqual([
      `Output "src/./count.mjs" is refused: ${outputPathProblem("src/./count.mjs", ROOT)}`,
      `Output "specwright.toml" is refused: ${outputPathProblem("specwright.toml", ROOT)}`,
      `Output ".GIT/x" is refused: ${outputPathProblem(".GIT/x", ROOT)}`,
    ]);
    for (const path of ["src/count.mjs", "greeter/my cli.py"]) {
      const r = parseReply({ reply: `${path}\n\`\`\`\nx\n\`\`\`\n`, expected: [path] });
      expect(r.ok && r.files.map((f) => f.path)).toEqual([path]);
    }
  });
});
