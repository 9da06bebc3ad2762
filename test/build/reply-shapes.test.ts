// Issue 18: replies as real models write them. The strict reading is kept
// whenever it accepts; the lenient shapes apply only when it refuses and they
// find every expected file exactly once. Each shape cites the peer test (or
// thread) that motivates it, and each has a case it must still refuse.

import { describe, expect, it } from "vitest";
import { parseReply, type ReplyParseResult } from "../../src/build/reply-protocol.js";

const F = "```";

function ok(result: ReplyParseResult) {
  if (!result.ok) throw new Error(`expected a parsed reply, got: ${result.problem}`);
  return result;
}

function bad(result: ReplyParseResult) {
  if (result.ok) throw new Error(`expected a refusal, got ${result.files.map((f) => `${f.path}=${JSON.stringify(f.content)}`).join(", ")}`);
  return result;
}

function contents(result: ReplyParseResult): Record<string, string> {
  return Object.fromEntries(ok(result).files.map((f) => [f.path, f.content]));
}

describe("a Markdown file with bare inner fences is never cut silently (issue 18, fix first)", () => {
  const readme = [
    "# wc", "", "Counts words.", "", "## Layout", "", F, "src/", "  wc.py", "tests/", "  test_wc.py", F, "",
    "## Usage", "", F, "python src/wc.py < words.txt", F, "", "MIT licence.",
  ].join("\n");

  it("keeps a README's bare-fenced tree listing and usage block inside the README", () => {
    const reply = `README.md\n${F}markdown\n${readme}\n${F}\n\nsrc/wc.py\n${F}python\nimport sys\n${F}\n`;
    const r = ok(parseReply({ reply, expected: ["README.md", "src/wc.py"] }));
    expect(contents(r)).toEqual({ "README.md": readme + "\n", "src/wc.py": "import sys\n" });
    expect(r.reading).toBe("lenient");
    expect(r.rules).toEqual(["bare inner fences in a Markdown file, paired, the last one closing it"]);
  });

  it("refuses, instead of cutting the README, when the tree listing ends in a line that could be a file label", () => {
    // Read strictly this README ended at the first inner fence and "wc.py" labelled an undeclared
    // file holding the README's tail: accepted with a truncated README before issue 18.
    const reply = `README.md\n${F}markdown\n# wc\n## Layout\n${F}\nsrc/\nwc.py\n${F}\nMIT licence.\n${F}\n`;
    const r = bad(parseReply({ reply, expected: ["README.md"] }));
    expect(r.kind).toBe("ambiguous-fence");
    expect(r.problem).toBe(
      "the block opened at line 2 for README.md holds a line of bare backticks (line 5) followed by more, so where README.md ends is unclear; " +
        "send it in a longer fence (````) so the blocks inside it stay inside it",
    );
  });

  it("accepts the same README when the listing is indented, as a tree listing is", () => {
    const reply = `README.md\n${F}markdown\n# wc\n## Layout\n${F}\nsrc/\n  wc.py\n${F}\nMIT licence.\n${F}\n`;
    expect(contents(parseReply({ reply, expected: ["README.md"] }))).toEqual({ "README.md": `# wc\n## Layout\n${F}\nsrc/\n  wc.py\n${F}\nMIT licence.\n` });
  });

  it("refuses an even number of bare inner fences (continue markdownUtils.vitest.ts:164, gptme test_codeblock.py:827)", () => {
    const reply = `docs/guide.md\n${F}markdown\nContent with ${F}inline${F} code\n${F}\nMore content\n${F}`;
    expect(bad(parseReply({ reply, expected: ["docs/guide.md"] })).kind).toBe("ambiguous-fence");
  });

  it("refuses when the first bare fence is followed by a blank line, as a closer is, and an unlabelled block follows", () => {
    // Aider test_wholefile.py:287's usage example after a README: pairing it into the README would be wrong content.
    const reply = `README.md\n${F}markdown\n# wc\n${F}\n\nRun it like this:\n\n${F}\nwc words.txt\n${F}\n`;
    expect(bad(parseReply({ reply, expected: ["README.md"] })).kind).toBe("ambiguous-fence");
  });

  it("pairs bare fences only in Markdown files: a Python file with them is refused (gptme test_codeblock.py:753)", () => {
    const reply = `src/text.py\n${F}python\ntext = '''\n${F}\nThis is just a string, not a code block\n${F}\n'''\n${F}`;
    expect(bad(parseReply({ reply, expected: ["src/text.py"] })).kind).toBe("ambiguous-fence");
  });

  it("still reads a bare-fenced undeclared file after a Python file as it always did", () => {
    const reply = `src/a.py\n${F}\nx = 1\n${F}\n\nsetup.py\n${F}\nsetup()\n${F}\n`;
    const r = ok(parseReply({ reply, expected: ["src/a.py"] }));
    expect(r.reading).toBe("strict");
    expect(contents(r)).toEqual({ "src/a.py": "x = 1\n", "setup.py": "setup()\n" });
    expect(r.undeclared).toEqual(["setup.py"]);
  });
});

describe("lenient shapes (issue 18), each with what it must still refuse", () => {
  it("1: a sentence naming one expected path in backticks (Aider test_wholefile.py:179, :212)", () => {
    const reply = `Here is a new version of \`a.txt\` for you to consider:\n\n${F}\nafter a\n${F}\n\nAnd here is \`b.txt\`:\n\n${F}\nafter b\n${F}\n`;
    const r = ok(parseReply({ reply, expected: ["a.txt", "b.txt"] }));
    expect(contents(r)).toEqual({ "a.txt": "after a\n", "b.txt": "after b\n" });
    expect(r.rules).toEqual(["a sentence naming the path"]);
  });

  it("1: a sentence in bold or with the Aider #2089 spellings", () => {
    expect(contents(parseReply({ reply: `Creating new file \`src/x.ts\`\n${F}ts\nx\n${F}\n`, expected: ["src/x.ts"] }))).toEqual({ "src/x.ts": "x\n" });
    expect(contents(parseReply({ reply: `Here is the updated **src/x.ts**:\n${F}ts\nx\n${F}\n`, expected: ["src/x.ts"] }))).toEqual({ "src/x.ts": "x\n" });
  });

  it("1 refuses: a sentence introducing a usage example, a shell block for a Python file, two paths, or an undeclared one", () => {
    const cases: [string, string[]][] = [
      [`You can test \`src/a.py\` with:\n${F}python\nfrom a import f\n${F}\n`, ["src/a.py"]],
      [`Here is how to run \`src/a.py\`:\n${F}bash\npython src/a.py\n${F}\n`, ["src/a.py"]],
      [`Here is \`src/a.py\`, which imports \`src/b.py\`:\n${F}python\nx\n${F}\n`, ["src/a.py", "src/b.py"]],
      [`Here is \`src/c.py\`:\n${F}python\nx\n${F}\n`, ["src/a.py"]],
    ];
    for (const [reply, expected] of cases) expect(bad(parseReply({ reply, expected })).kind).toBe("block-without-path");
  });

  it("2: a list item as the label, alone (gpt-engineer tests/test_chat_to_files.py:149)", () => {
    const reply = `This is a sample program.\n\n1. \`file1.py\`:\n${F}python\nprint(1)\n${F}\n\n2. **file2.py**\n${F}python\nprint(2)\n${F}\n`;
    expect(contents(parseReply({ reply, expected: ["file1.py", "file2.py"] }))).toEqual({ "file1.py": "print(1)\n", "file2.py": "print(2)\n" });
  });

  it("2: a fence indented under its list item, content dedented", () => {
    const reply = `10. \`src/a.py\`:\n\n    ${F}python\n    def f():\n        return 1\n    ${F}\n`;
    expect(contents(parseReply({ reply, expected: ["src/a.py"] }))).toEqual({ "src/a.py": "def f():\n    return 1\n" });
  });

  it("2 refuses: the last item of a plan list before an unlabelled block", () => {
    const reply = `I will write:\n1. \`src/a.py\`\n2. \`src/b.py\`\n\n${F}python\nx = 1\n${F}\n`;
    expect(bad(parseReply({ reply, expected: ["src/a.py", "src/b.py"] })).kind).toBe("block-without-path");
  });

  it("4: the path in a first-line comment is kept; a bare first-line path is dropped (Aider test_editblock.py:557, appmap-js #1855)", () => {
    expect(contents(parseReply({ reply: `${F}ts\n// filepath: src/app.ts\nexport {};\n${F}\n`, expected: ["src/app.ts"] }))).toEqual({ "src/app.ts": "// filepath: src/app.ts\nexport {};\n" });
    expect(contents(parseReply({ reply: `${F}html\n<!-- file: index.html -->\n<p/>\n${F}\n`, expected: ["index.html"] }))).toEqual({ "index.html": "<!-- file: index.html -->\n<p/>\n" });
    expect(contents(parseReply({ reply: `${F}sh\nrun.sh\n#!/bin/sh\necho hi\n${F}\n`, expected: ["run.sh"] }))).toEqual({ "run.sh": "#!/bin/sh\necho hi\n" });
  });

  it("4 refuses: a first-line basename of the expected path (Aider test_editblock.py:29), or a path alone with nothing after it", () => {
    expect(bad(parseReply({ reply: `${F}python\nfile3.py\nprint(3)\n${F}\n`, expected: ["dir/file3.py"] })).kind).toBe("block-without-path");
    expect(bad(parseReply({ reply: `${F}\nsrc/a.py\n${F}\n`, expected: ["src/a.py"] })).kind).toBe("block-without-path");
  });

  it("5: a trailing parenthetical after the label (Aider #2089)", () => {
    const reply = `**src/routes/+layout.svelte** (no changes needed)\n${F}svelte\n<slot />\n${F}\n`;
    expect(contents(parseReply({ reply, expected: ["src/routes/+layout.svelte"] }))).toEqual({ "src/routes/+layout.svelte": "<slot />\n" });
  });

  it("6: bracketed labels (gpt-engineer tests/test_chat_to_files.py:39, :97; tests/core/test_chat_to_files.py:105)", () => {
    const reply = `[file1.py]\n${F}python\nprint(1)\n${F}\n\n[FILE: file2.py]\n${F}python\nprint(2)\n${F}\n`;
    expect(contents(parseReply({ reply, expected: ["file1.py", "file2.py"] }))).toEqual({ "file1.py": "print(1)\n", "file2.py": "print(2)\n" });
  });

  it("6 keeps a name that merely holds brackets as it is (gpt-engineer tests/test_chat_to_files.py:71)", () => {
    const r = ok(parseReply({ reply: `[id].jsx\n${F}javascript\nx\n${F}\n`, expected: ["[id].jsx"] }));
    expect(r.reading).toBe("strict");
    expect(r.files.map((f) => f.path)).toEqual(["[id].jsx"]);
  });

  it("7: a heading or File: label, one description line, then the block", () => {
    const reply = `### src/counter.py\nCounts the words of a text.\n\n${F}python\ndef count(t):\n    return len(t.split())\n${F}\n`;
    expect(contents(parseReply({ reply, expected: ["src/counter.py"] }))).toEqual({ "src/counter.py": "def count(t):\n    return len(t.split())\n" });
    const file = `File: src/counter.py\nThe counter module.\n${F}python\nx\n${F}\n`;
    expect(contents(parseReply({ reply: file, expected: ["src/counter.py"] }))).toEqual({ "src/counter.py": "x\n" });
  });

  it("7 refuses: a description line naming another expected file, or two lines between label and block", () => {
    const other = `### src/counter.py\nIt is used by \`src/cli.py\`.\n${F}python\nx\n${F}\n`;
    expect(bad(parseReply({ reply: other, expected: ["src/counter.py", "src/cli.py"] })).kind).toBe("block-without-path");
    const two = `### src/counter.py\nCounts words.\nUsed by the CLI.\n${F}python\nx\n${F}\n`;
    expect(bad(parseReply({ reply: two, expected: ["src/counter.py"] })).kind).toBe("block-without-path");
  });

  it("8: an unlabelled shell block after every expected file is ignored (Aider editblock_coder.py:452 skips them)", () => {
    const reply = `src/wc.py\n${F}python\nprint(1)\n${F}\n\nRun it with:\n\n${F}bash\npython src/wc.py\n${F}\n`;
    const r = ok(parseReply({ reply, expected: ["src/wc.py"] }));
    expect(contents(r)).toEqual({ "src/wc.py": "print(1)\n" });
    expect(r.rules).toEqual(["a shell block after all the files, ignored"]);
  });

  it("8 refuses: a shell block when an expected file is a shell script (it could be a second version of it)", () => {
    const reply = `run.sh\n${F}bash\necho one\n${F}\n\nOr better:\n\n${F}bash\necho two\n${F}\n`;
    expect(bad(parseReply({ reply, expected: ["run.sh"] })).kind).toBe("block-without-path");
  });

  it("8 refuses: an untagged block after the files, which could be file content (Aider test_wholefile.py:287)", () => {
    const reply = `hello.py\n${F}\nnew\n${F}\n\nRun it like this:\n\n${F}\npython hello.py\n${F}\n\n`;
    expect(bad(parseReply({ reply, expected: ["hello.py"] })).kind).toBe("block-without-path");
  });

  it("9: a leading <think> section with a draft of the file is not the answer (continue #3832)", () => {
    const reply = `<think>\nA draft:\nsrc/add.py\n${F}python\npass\n${F}\n</think>\n\nsrc/add.py\n${F}python\ndef add(a, b):\n    return a + b\n${F}\n`;
    const r = ok(parseReply({ reply, expected: ["src/add.py"] }));
    expect(contents(r)).toEqual({ "src/add.py": "def add(a, b):\n    return a + b\n" });
    expect(r.files[0]?.line).toBe(10);
  });

  it("9 refuses: a <think> section that is not at the start, and one never closed", () => {
    const middle = `src/add.py\n${F}python\npass\n${F}\n<think>\nhmm\n</think>\nsrc/add.py\n${F}python\nreturn 1\n${F}\n`;
    expect(bad(parseReply({ reply: middle, expected: ["src/add.py"] })).kind).toBe("duplicate-file");
    const unclosed = `<thinking>\nsrc/add.py\n${F}python\npass\n${F}\nsrc/add.py\n${F}python\nreturn 1\n${F}\n`;
    expect(bad(parseReply({ reply: unclosed, expected: ["src/add.py"] })).kind).toBe("duplicate-file");
  });

  it("10: a one-line block holding the path, then the content block (Aider test_editblock.py:474, Deepseek Coder v2)", () => {
    const reply = `Here's the change:\n\n ${F}python\nfoo.txt\n${F}\n${F}python\ntwo\n${F}\n`;
    expect(contents(parseReply({ reply, expected: ["foo.txt"] }))).toEqual({ "foo.txt": "two\n" });
  });

  it("10 refuses: the path block naming one file and the next block's fence another", () => {
    // The lenient reading finds the conflict and fails, so the strict refusal (quoted in the re-ask) stands.
    const reply = `${F}\nsrc/a.py\n${F}\n${F}python src/b.py\nx\n${F}\n`;
    expect(bad(parseReply({ reply, expected: ["src/a.py", "src/b.py"] })).kind).toBe("block-without-path");
  });

  it("takes a lenient reading only when it finds every expected file", () => {
    // [a.py] is a lenient label, but b.py is missing: the strict refusal stands.
    const reply = `[a.py]\n${F}python\nx\n${F}\n`;
    const r = bad(parseReply({ reply, expected: ["a.py", "b.py"] }));
    expect(r.kind).toBe("block-without-path");
  });
});

describe("still refused (issue 18, keep refusing)", () => {
  const table: [string, string, string[], string][] = [
    ["a basename guess", `counter.py\n${F}python\nx\n${F}\n`, ["src/wc_lite/counter.py"], "no-expected-file"],
    ["a fuzzy guess (Aider test_editblock.py:45)", `file1_py\n${F}\nx\n${F}\n`, ["file1.py"], "block-without-path"],
    ["a path/to/ prefix (Aider test_wholefile.py:130)", `path/to/sample.txt\n${F}\nx\n${F}\n`, ["sample.txt"], "no-expected-file"],
    ["an output-dir prefix", `output/src/a.py\n${F}\nx\n${F}\n`, ["src/a.py"], "no-expected-file"],
    ["an unclosed last fence", `src/a.py\n${F}\nx\n`, ["src/a.py"], "unclosed-fence"],
    ["two versions of one file", `src/a.py\n${F}\nx\n${F}\n\nsrc/a.py\n${F}\ny\n${F}\n`, ["src/a.py"], "duplicate-file"],
    ["backticks inside a file name (gpt-engineer tests/core/test_chat_to_files.py:39)", `file\`2\`.py\n${F}\nx\n${F}\n`, ["file`2`.py"], "block-without-path"],
    ["glued fences (gptme test_codeblock.py:157)", `${F}sh a.sh\npwd\n${F}${F}sh b.sh\nls\n${F}`, ["a.sh", "b.sh"], "unclosed-fence"],
    ["mismatched fence lengths (gptme test_codeblock.py:1259)", `notes.txt\n\`\`\`\`text\nline 1\n${F}`, ["notes.txt"], "unclosed-fence"],
    ["an even number of bare inner fences (gptme test_codeblock.py:562)", `notes.md\n${F}\n${F}\na\n${F}\nb\n${F}\n${F}`, ["notes.md"], "ambiguous-fence"],
    ["a reply indented four spaces (gpt-engineer tests/core/test_chat_to_files.py:94)", `    \`file1.py\`\n    ${F}python\n    x\n    ${F}\n`, ["file1.py"], "no-files"],
  ];
  for (const [name, reply, expected, kind] of table) {
    it(`refuses ${name}`, () => {
      expect(bad(parseReply({ reply, expected })).kind).toBe(kind);
    });
  }
});

describe("paths with spaces, as the plan allows them (issue 9 item 25)", () => {
  it("reads a label, a backticked label and a fence info string naming an expected path with a space", () => {
    for (const reply of [`greeter/my cli.py\n${F}\nx\n${F}\n`, `\`greeter/my cli.py\`:\n${F}\nx\n${F}\n`, `${F}python greeter/my cli.py\nx\n${F}\n`, `${F}python title="greeter/my cli.py"\nx\n${F}\n`]) {
      expect(contents(parseReply({ reply, expected: ["greeter/my cli.py"] }))).toEqual({ "greeter/my cli.py": "x\n" });
    }
  });

  it("still takes prose with spaces for prose", () => {
    expect(bad(parseReply({ reply: `Here is greeter/my cli.py\n${F}\nx\n${F}\n`, expected: ["greeter/my cli.py"] })).kind).toBe("block-without-path");
  });

  it("matches src/./a.py in a reply to src/a.py in the plan: one spelling (plans/output-path.ts)", () => {
    expect(contents(parseReply({ reply: `src/./a.py\n${F}\nx\n${F}\n`, expected: ["src/a.py"] }))).toEqual({ "src/a.py": "x\n" });
  });
});
