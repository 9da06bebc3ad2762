import { describe, expect, it } from "vitest";
import { assembleTaskPrompt } from "../../src/build/task-prompt.js";
import { calcInput, task } from "./fixtures.js";

const CLI = task({ id: "T002", title: "Command line", outputs: ["calc/cli.py"], refs: ["components/Cli"] });

// The first bytes of a PNG: a NUL byte and bytes that are not UTF-8.
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);

function user(prompt: ReturnType<typeof assembleTaskPrompt>): string {
  return prompt.messages[1]?.content ?? "";
}

describe("context files", () => {
  it("inlines text files and only lists binary ones with their size", () => {
    const prompt = assembleTaskPrompt(
      calcInput({
        task: CLI,
        context: [
          { path: "context/logo.png", content: PNG },
          { path: "context/usage.txt", content: new TextEncoder().encode("calc add 1 2\n→ 3\n") },
        ],
      }),
    );
    const text = user(prompt);
    expect(text).toContain("## context/logo.png (binary, 16 bytes; not shown)");
    expect(text).not.toContain("PNG");
    expect(text).not.toContain("IHDR");
    expect(text).toContain("## context/usage.txt (text, 19 bytes)\n\n```text\ncalc add 1 2\n→ 3\n```");
  });

  it("treats bytes that are not UTF-8 as binary even without a NUL byte", () => {
    const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]); // "café\n" in Latin-1
    const text = user(assembleTaskPrompt(calcInput({ task: CLI, context: [{ path: "context/menu.txt", content: latin1 }] })));
    expect(text).toContain("## context/menu.txt (binary, 5 bytes; not shown)");
  });

  it("fences a file that contains fences with a longer fence", () => {
    const readme = "# Usage\n\n```sh\ncalc add 1 2\n```\n";
    const text = user(assembleTaskPrompt(calcInput({ task: CLI, context: [{ path: "context/README.md", content: readme }] })));
    expect(text).toContain("````markdown\n# Usage\n\n```sh\ncalc add 1 2\n```\n````");
  });

  it("names the biggest context file in the per-part token estimate", () => {
    const prompt = assembleTaskPrompt(
      calcInput({
        task: CLI,
        context: [
          { path: "context/small.txt", content: "tiny\n" },
          { path: "context/big.txt", content: "lorem ipsum dolor sit amet ".repeat(400) },
        ],
      }),
    );
    const context = prompt.sections.find((s) => s.name === "context");
    const items = [...(context?.items ?? [])].sort((a, b) => b.tokens - a.tokens);
    expect(items[0]?.name).toBe("context/big.txt");
    expect(context?.tokens).toBeGreaterThan(1000);
    expect(context?.tokens).toBeGreaterThan((prompt.sections.find((s) => s.name === "spec")?.tokens ?? 0) * 3);
  });
});

describe("files to write", () => {
  it("lists outputs then edits, and shows each edited file's current content whole", () => {
    const current = "def add(a: int, b: int) -> int:\n    return a + b\n";
    const prompt = assembleTaskPrompt(
      calcInput({
        task: { ...CLI, edits: ["calc/arith.py"] },
        edits: [{ path: "calc/arith.py", content: current }],
      }),
    );
    expect(prompt.expectedFiles).toEqual(["calc/cli.py", "calc/arith.py"]);
    const text = user(prompt);
    expect(text).toContain("- calc/cli.py (new file)\n- calc/arith.py (existing file");
    expect(text).toContain("## Current content of calc/arith.py\n\n```python\ndef add(a: int, b: int) -> int:\n    return a + b\n```");
    expect(text).toContain("Write all 2 files now");
    // The task and its files come last: nothing but the closing instruction follows the edited content.
    expect(text.slice(text.indexOf("## Current content of calc/arith.py"))).not.toContain("# Context files");
  });

  it("states the verify commands the files must pass", () => {
    const text = user(assembleTaskPrompt(calcInput({ task: { ...CLI, verify: ["python -m py_compile calc/cli.py", "python -m calc.cli add 1 2"] } })));
    expect(text).toContain("These commands must succeed in the output directory afterwards:\n- `python -m py_compile calc/cli.py`\n- `python -m calc.cli add 1 2`");
  });
});
