import { describe, expect, it } from "vitest";
import { parseReply, type ReplyParseResult } from "../../src/build/reply-protocol.js";

const FENCE = "```";

function ok(result: ReplyParseResult) {
  if (!result.ok) throw new Error(`expected a parsed reply, got: ${result.problem}`);
  return result;
}

function bad(result: ReplyParseResult) {
  if (result.ok) throw new Error(`expected a malformed reply, got files ${result.files.map((f) => f.path).join(", ")}`);
  return result;
}

describe("accepted file labels", () => {
  const labels: [string, string][] = [
    ["bare path line", "src/a.py"],
    ["bare path with colon", "src/a.py:"],
    ["backticked path", "`src/a.py`"],
    ["backticked path with colon", "`src/a.py`:"],
    ["bold path", "**src/a.py**"],
    ["bold backticked path", "**`src/a.py`**"],
    ["File: label", "File: src/a.py"],
    ["lower-case file: label", "file: src/a.py"],
    ["bold File label", "**File:** src/a.py"],
    ["bold File label with backticks", "**File:** `src/a.py`"],
    ["bold whole File label", "**File: src/a.py**"],
    ["heading path", "### src/a.py"],
    ["heading with File label and backticks", "## File: `src/a.py`"],
    ["Path: label", "Path: ./src/a.py"],
  ];
  for (const [name, label] of labels) {
    it(`reads the path from a ${name}`, () => {
      const reply = `Here you go.\n\n${label}\n${FENCE}python\nprint("a")\n${FENCE}\n`;
      const r = ok(parseReply({ reply, expected: ["src/a.py"] }));
      expect(r.files).toEqual([{ path: "src/a.py", content: 'print("a")\n', line: 4 }]);
    });
  }

  it("allows blank lines between the label and the fence", () => {
    const r = ok(parseReply({ reply: `src/a.py\n\n\n${FENCE}\nx = 1\n${FENCE}`, expected: ["src/a.py"] }));
    expect(r.files[0]?.content).toBe("x = 1\n");
  });

  const infos: [string, string][] = [
    ["language then path", "python src/a.py"],
    ["path only", "src/a.py"],
    ["language:path", "python:src/a.py"],
    ["title attribute", 'python title="src/a.py"'],
  ];
  for (const [name, info] of infos) {
    it(`reads the path from the fence info string (${name})`, () => {
      const r = ok(parseReply({ reply: `${FENCE}${info}\nx = 1\n${FENCE}\n`, expected: ["src/a.py"] }));
      expect(r.files.map((f) => f.path)).toEqual(["src/a.py"]);
    });
  }

  it("accepts an extensionless expected file such as a Makefile", () => {
    const r = ok(parseReply({ reply: `Makefile\n${FENCE}make\nall:\n\techo hi\n${FENCE}\n`, expected: ["Makefile"] }));
    expect(r.files[0]?.content).toBe("all:\n\techo hi\n");
  });

  it("does not take a list item as a label, so a plan list cannot mislabel the next block", () => {
    const reply = `I will write:\n- src/a.py\n- src/b.py\n\n${FENCE}python\nx = 1\n${FENCE}\n`;
    const r = bad(parseReply({ reply, expected: ["src/a.py", "src/b.py"] }));
    expect(r.kind).toBe("block-without-path");
    expect(r.problem).toContain("line 5");
  });

  it("does not take prose that mentions a path as a label", () => {
    const r = bad(parseReply({ reply: `Here is src/a.py:\n${FENCE}python\nx = 1\n${FENCE}\n`, expected: ["src/a.py"] }));
    expect(r.kind).toBe("block-without-path");
  });
});

describe("several files and prose", () => {
  it("returns every file in order and ignores prose before, between and after blocks", () => {
    const reply = [
      "Sure! Below are the files.",
      "",
      "src/a.py",
      `${FENCE}python`,
      "def a():",
      "    return 1",
      FENCE,
      "",
      "This second file uses the first one. Note the `import`.",
      "",
      "File: src/b.py",
      `${FENCE}python`,
      "from a import a",
      FENCE,
      "",
      "Let me know if you need anything else!",
    ].join("\n");
    const r = ok(parseReply({ reply, expected: ["src/a.py", "src/b.py"] }));
    expect(r.files).toEqual([
      { path: "src/a.py", content: "def a():\n    return 1\n", line: 4 },
      { path: "src/b.py", content: "from a import a\n", line: 12 },
    ]);
    expect(r.undeclared).toEqual([]);
    expect(r.missing).toEqual([]);
  });

  it("reports undeclared files without failing the reply", () => {
    const reply = `src/a.py\n${FENCE}\na\n${FENCE}\nsetup.py\n${FENCE}\nb\n${FENCE}\n`;
    const r = ok(parseReply({ reply, expected: ["src/a.py"] }));
    expect(r.undeclared).toEqual(["setup.py"]);
    expect(r.files.map((f) => f.path)).toEqual(["src/a.py", "setup.py"]);
  });

  it("reports missing expected files when at least one expected file is present", () => {
    const r = ok(parseReply({ reply: `src/a.py\n${FENCE}\na\n${FENCE}\n`, expected: ["src/a.py", "src/b.py"] }));
    expect(r.missing).toEqual(["src/b.py"]);
  });

  it("keeps an empty block as an empty file", () => {
    const r = ok(parseReply({ reply: `src/__init__.py\n${FENCE}python\n${FENCE}\n`, expected: ["src/__init__.py"] }));
    expect(r.files[0]?.content).toBe("");
  });

  it("ends content with exactly one newline and keeps inner blank lines and indentation", () => {
    const r = ok(parseReply({ reply: `src/a.py\n${FENCE}\n\n  x\n\n${FENCE}`, expected: ["src/a.py"] }));
    expect(r.files[0]?.content).toBe("\n  x\n\n");
  });
});

describe("fences", () => {
  it("lets a longer fence carry content that contains triple-backtick fences", () => {
    const readme = ["# Tool", "", "```bash", "tool --help", "```", "", "```", "plain", "```"].join("\n");
    const reply = `README.md\n\`\`\`\`markdown\n${readme}\n\`\`\`\`\n`;
    const r = ok(parseReply({ reply, expected: ["README.md"] }));
    expect(r.files[0]?.content).toBe(readme + "\n");
  });

  it("closes only on a fence of the same character and at least the opening length", () => {
    const content = ["~~~", "```", "````"].join("\n");
    const reply = `docs/x.md\n\`\`\`\`\`\n${content}\n\`\`\`\`\`\`\nafter\n`;
    const r = ok(parseReply({ reply, expected: ["docs/x.md"] }));
    expect(r.files[0]?.content).toBe(content + "\n");
  });

  it("accepts tilde fences", () => {
    const r = ok(parseReply({ reply: `src/a.py\n~~~python\nx = "\`\`\`"\n~~~\n`, expected: ["src/a.py"] }));
    expect(r.files[0]?.content).toBe('x = "```"\n');
  });

  it("treats a same-length fence with a language inside a block as nested, not as the closer", () => {
    // Models often write a README with ``` fences inside a ``` block; the outer block must survive.
    const readme = ["# Usage", "```bash", "tool run", "```", "Done."].join("\n");
    const r = ok(parseReply({ reply: `README.md\n${FENCE}markdown\n${readme}\n${FENCE}\n`, expected: ["README.md"] }));
    expect(r.files[0]?.content).toBe(readme + "\n");
  });

  it("strips the fence's own indentation from its content lines", () => {
    const r = ok(parseReply({ reply: `src/a.py\n  ${FENCE}python\n  def f():\n      pass\n  ${FENCE}\n`, expected: ["src/a.py"] }));
    expect(r.files[0]?.content).toBe("def f():\n    pass\n");
  });
});

describe("line endings and encoding", () => {
  it("parses a CRLF reply and returns LF content", () => {
    const reply = `src/a.py\r\n${FENCE}python\r\nx = 1\r\ny = 2\r\n${FENCE}\r\n`;
    const r = ok(parseReply({ reply, expected: ["src/a.py"] }));
    expect(r.files[0]?.content).toBe("x = 1\ny = 2\n");
  });

  it("ignores a byte-order mark in front of a first-line fence", () => {
    const r = ok(parseReply({ reply: `\uFEFF${FENCE}python src/a.py\nx\n${FENCE}\n`, expected: ["src/a.py"] }));
    expect(r.files).toEqual([{ path: "src/a.py", content: "x\n", line: 1 }]);
  });
});

describe("malformed replies", () => {
  it("refuses a reply that ended with done_reason length even when its blocks look complete", () => {
    const r = bad(parseReply({ reply: `src/a.py\n${FENCE}\nx\n${FENCE}\n`, expected: ["src/a.py"], doneReason: "length" }));
    expect(r.kind).toBe("truncated");
    expect(r.problem).toContain("done_reason: length");
  });

  it("accepts done_reason stop", () => {
    ok(parseReply({ reply: `src/a.py\n${FENCE}\nx\n${FENCE}\n`, expected: ["src/a.py"], doneReason: "stop" }));
  });

  it("names the line and path of an unclosed block", () => {
    const reply = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "src/a.py", `${FENCE}python`, "x = 1"].join("\n");
    const r = bad(parseReply({ reply, expected: ["src/a.py"] }));
    expect(r.kind).toBe("unclosed-fence");
    expect(r.problem).toBe("the block opened at line 12 for src/a.py is never closed; close it with a line of 3 backticks");
    expect(r.line).toBe(12);
  });

  it("reports an unclosed longer fence even though shorter fences follow", () => {
    const r = bad(parseReply({ reply: `README.md\n\`\`\`\`\n${FENCE}\nx\n${FENCE}\n`, expected: ["README.md"] }));
    expect(r.kind).toBe("unclosed-fence");
    expect(r.problem).toContain("4 backticks");
  });

  it("reports a forgotten closer instead of merging the next file into the previous one", () => {
    const reply = `src/a.py\n${FENCE}python\nx = 1\n\nsrc/b.py\n${FENCE}python\ny = 2\n${FENCE}\n`;
    const r = bad(parseReply({ reply, expected: ["src/a.py", "src/b.py"] }));
    expect(r.kind).toBe("unclosed-fence");
    expect(r.line).toBe(2);
  });

  it("refuses a reply with no file blocks and lists what was expected", () => {
    const r = bad(parseReply({ reply: "I cannot do that.", expected: ["src/a.py"] }));
    expect(r.kind).toBe("no-files");
    expect(r.problem).toContain("expected src/a.py");
  });

  it("refuses a reply that names none of the expected files", () => {
    const r = bad(parseReply({ reply: `src/c.py\n${FENCE}\nx\n${FENCE}\n`, expected: ["src/a.py", "src/b.py"] }));
    expect(r.kind).toBe("no-expected-file");
    expect(r.problem).toBe("expected src/a.py and src/b.py; the reply has neither (the reply has src/c.py)");
  });

  it("refuses the same file twice and names both lines", () => {
    const reply = `src/a.py\n${FENCE}\nx\n${FENCE}\nsrc/a.py\n${FENCE}\ny\n${FENCE}\n`;
    const r = bad(parseReply({ reply, expected: ["src/a.py"] }));
    expect(r.kind).toBe("duplicate-file");
    expect(r.problem).toContain("lines 2 and 6");
  });

  it("refuses a code block without a path while an expected file is still missing", () => {
    // Issue 18 shape 8 ignores a shell block only once every expected file is there.
    const reply = `src/a.py\n${FENCE}\nx\n${FENCE}\n\nRun it with:\n${FENCE}bash\npython src/a.py\n${FENCE}\n`;
    const r = bad(parseReply({ reply, expected: ["src/a.py", "src/b.py"] }));
    expect(r.kind).toBe("block-without-path");
    expect(r.line).toBe(7);
  });

  it("refuses a block labelled with one path above and another in its fence", () => {
    const r = bad(parseReply({ reply: `src/a.py\n${FENCE}python src/b.py\nx\n${FENCE}\n`, expected: ["src/a.py", "src/b.py"] }));
    expect(r.kind).toBe("conflicting-path");
  });
});

describe("size", () => {
  it("parses a 5 MB reply in linear time", () => {
    const line = "    value = compute(value, 12345) + other_function_call(argument_one, argument_two)\n";
    const body = line.repeat(Math.ceil((5 * 1024 * 1024) / line.length));
    const reply = `src/big.py\n${FENCE}python\n${body}${FENCE}\n\nsrc/small.py\n${FENCE}\nx\n${FENCE}\n`;
    expect(reply.length).toBeGreaterThan(5 * 1024 * 1024);
    const started = performance.now();
    const r = ok(parseReply({ reply, expected: ["src/big.py", "src/small.py"] }));
    const ms = performance.now() - started;
    expect(r.files[0]?.content).toBe(body);
    expect(r.files[1]?.content).toBe("x\n");
    // Measured 10-100 ms on the 2-core dev box; 3 s leaves room for a loaded machine but still catches quadratic work (minutes).
    expect(ms).toBeLessThan(3000);
  });
});
