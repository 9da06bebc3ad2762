import { describe, expect, it } from "vitest";
import { parseTomlSource } from "../../plans/toml-source.js";

const FILE = "x.toml";

/** Line and column of the first occurrence of `needle` in `text` (1-based), computed independently of the scanner. */
function at(text: string, needle: string, occurrence = 0): { line: number; column: number } {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`"${needle}" not found`);
  }
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

function pos(source: ReturnType<typeof parseTomlSource>, path: (string | number)[]) {
  const p = source.locate(path);
  return { line: p.line, column: p.column };
}

describe("syntax errors", () => {
  it("are reported at the 1-based line and column with a one-line message", () => {
    const text = 'a = 1\nb = \nc = 3\n';
    const source = parseTomlSource(text, FILE);
    expect(source.value).toBeUndefined();
    expect(source.diagnostics).toHaveLength(1);
    const d = source.diagnostics[0]!;
    expect(d).toMatchObject({ severity: "error", file: FILE, line: 2, column: 5, code: "toml/syntax" });
    expect(d.message).toMatch(/^Unexpected character, expecting string/);
    expect(d.message).not.toMatch(/row|pos|\n/);
  });

  it("name an unknown escape by its character, with a hint", () => {
    const source = parseTomlSource('\n\npath = "C:\\qux"\n', FILE);
    const d = source.diagnostics[0]!;
    expect(d.line).toBe(3);
    expect(d.column).toBe(12);
    expect(d.message).toBe('Unknown escape sequence "\\q" in a string');
    expect(d.hint).toMatch(/literal string/);
  });

  it("report a key defined twice on the line of the second definition", () => {
    const source = parseTomlSource("[model]\ndefault = \"a\"\ndefault = \"b\"\n", FILE);
    expect(source.diagnostics[0]).toMatchObject({ line: 3, message: "This key or table is defined twice" });
  });

  it("report an unterminated string on its line", () => {
    const source = parseTomlSource('[project]\nname = "wc\n', FILE);
    expect(source.diagnostics[0]).toMatchObject({ line: 2, column: 11 });
    expect(source.diagnostics[0]!.message).toMatch(/^Unterminated string/);
  });

  it("count lines the same way with CRLF line endings", () => {
    const source = parseTomlSource("a = 1\r\n\r\nb = = 2\r\n", FILE);
    expect(source.diagnostics[0]).toMatchObject({ line: 3, column: 5 });
  });

  it("are not raised for comments in a CRLF file (a workaround for @iarna/toml 3.0)", () => {
    const source = parseTomlSource("# config\r\n[model] # the model\r\ndefault = \"x\" # comment\r\n", FILE);
    expect(source.diagnostics).toEqual([]);
    expect(source.value).toEqual({ model: { default: "x" } });
  });

  it("still let locate find keys before the error", () => {
    const text = "[model]\ndefault = \"x\"\n[build\nparallel = 2\n";
    const source = parseTomlSource(text, FILE);
    expect(source.diagnostics).toHaveLength(1);
    expect(pos(source, ["model", "default"])).toEqual(at(text, "default"));
  });
});

describe("a UTF-8 byte order mark", () => {
  it("is stripped before parsing and does not shift columns", () => {
    const source = parseTomlSource('\uFEFFname = "x"\n', FILE);
    expect(source.diagnostics).toEqual([]);
    expect(source.value).toEqual({ name: "x" });
    expect(pos(source, ["name"])).toEqual({ line: 1, column: 1 });
  });
});

describe("locate", () => {
  it("finds keys under [table] and [a.b] headers, and the headers themselves", () => {
    const text = [
      "# config",
      "top = 1",
      "",
      "[model]",
      '  default = "qwen"',
      "",
      "[model.roles.audit]",
      'model = "x"',
    ].join("\n");
    const source = parseTomlSource(text, FILE);
    expect(source.diagnostics).toEqual([]);
    expect(pos(source, ["top"])).toEqual({ line: 2, column: 1 });
    expect(pos(source, ["model"])).toEqual({ line: 4, column: 1 });
    expect(pos(source, ["model", "default"])).toEqual({ line: 5, column: 3 });
    expect(source.locate(["model", "default"]).length).toBe("default".length);
    expect(pos(source, ["model", "roles", "audit"])).toEqual({ line: 7, column: 1 });
    expect(pos(source, ["model", "roles"])).toEqual({ line: 7, column: 1 });
    expect(pos(source, ["model", "roles", "audit", "model"])).toEqual({ line: 8, column: 1 });
  });

  it("numbers [[array]] tables by occurrence and resolves sub-tables to the latest element", () => {
    const text = [
      "[[task]]",
      'id = "T001"',
      "[[task]]",
      'id = "T002"',
      "[task.extra]",
      "k = 1",
      "[[task]]",
      'id = "T003"',
      'verify = ["a"]',
    ].join("\n");
    const source = parseTomlSource(text, FILE);
    expect(source.diagnostics).toEqual([]);
    expect(pos(source, ["task", 0])).toEqual({ line: 1, column: 1 });
    expect(pos(source, ["task", 1, "id"])).toEqual({ line: 4, column: 1 });
    expect(pos(source, ["task", 1, "extra", "k"])).toEqual({ line: 6, column: 1 });
    expect(pos(source, ["task", 2])).toEqual({ line: 7, column: 1 });
    expect(pos(source, ["task", 2, "verify"])).toEqual({ line: 9, column: 1 });
    expect(source.locate(["task", 2]).length).toBe("[[task]]".length);
  });

  it("handles arrays of tables nested in arrays of tables", () => {
    const text = "[[a]]\n[[a.b]]\nx = 1\n[[a.b]]\nx = 2\n[[a]]\n[[a.b]]\nx = 3\n";
    const source = parseTomlSource(text, FILE);
    expect(source.diagnostics).toEqual([]);
    expect(pos(source, ["a", 0, "b", 1, "x"])).toEqual({ line: 5, column: 1 });
    expect(pos(source, ["a", 1, "b", 0, "x"])).toEqual({ line: 8, column: 1 });
  });

  it("finds dotted keys, quoted keys and the parents they imply", () => {
    const text = ['[build]', 'limits.memory = 1', '"odd key" = 2', "'lit.key' = 3", 'a . "b.c" = 4'].join("\n");
    const source = parseTomlSource(text, FILE);
    expect(source.diagnostics).toEqual([]);
    expect(pos(source, ["build", "limits", "memory"])).toEqual({ line: 2, column: 8 });
    expect(pos(source, ["build", "limits"])).toEqual({ line: 2, column: 1 });
    expect(pos(source, ["build", "odd key"])).toEqual({ line: 3, column: 1 });
    expect(source.locate(["build", "odd key"]).length).toBe('"odd key"'.length);
    expect(pos(source, ["build", "lit.key"])).toEqual({ line: 4, column: 1 });
    expect(pos(source, ["build", "a", "b.c"])).toEqual({ line: 5, column: 5 });
    expect(source.locate(["build", "a", "b.c"]).length).toBe('"b.c"'.length);
    expect(pos(source, ["build", "a"])).toEqual({ line: 5, column: 1 });
  });

  it("finds keys of inline tables and elements of arrays, also on continuation lines", () => {
    const text = [
      'point = { x = 1, y = { z = "}" } }',
      "verify = [",
      '  "python -m py_compile a.py",  # first',
      '  "pytest -q",',
      "]",
      "pairs = [{ k = 1 }, { k = 2 }]",
    ].join("\n");
    const source = parseTomlSource(text, FILE);
    expect(source.diagnostics).toEqual([]);
    expect(pos(source, ["point", "y"])).toEqual(at(text, "y ="));
    expect(pos(source, ["point", "y", "z"])).toEqual(at(text, "z ="));
    expect(pos(source, ["verify", 0])).toEqual({ line: 3, column: 3 });
    expect(pos(source, ["verify", 1])).toEqual({ line: 4, column: 3 });
    expect(source.locate(["verify", 1]).length).toBe('"pytest -q"'.length);
    expect(pos(source, ["pairs", 1, "k"])).toEqual(at(text, "k", 1));
  });

  it("does not take text inside multi-line strings, arrays or comments for keys", () => {
    const text = [
      'notes = """',
      "[fake]",
      'inside = 1 \\"""',
      '"""',
      "lit = '''",
      "[[also_fake]]",
      "'''",
      "list = [",
      '  "x = 2", # [comment]',
      "  '[no]',",
      "]",
      "# hidden = 3",
      "real = 4",
      'tail = """ends with quote""""',
      "after = 5",
    ].join("\n");
    const source = parseTomlSource(text, FILE);
    expect(source.diagnostics).toEqual([]);
    expect(source.locate(["fake"]).exact).toBe(false);
    expect(source.locate(["inside"]).exact).toBe(false);
    expect(source.locate(["also_fake"]).exact).toBe(false);
    expect(source.locate(["hidden"]).exact).toBe(false);
    expect(pos(source, ["real"])).toEqual({ line: 13, column: 1 });
    expect(pos(source, ["after"])).toEqual({ line: 15, column: 1 });
    expect(source.value?.["tail"]).toBe('ends with quote"');
  });

  it("falls back to the nearest enclosing table header, then to the file start", () => {
    const text = '[[task]]\nid = "T1"\n\n[[task]]\nid = "T2"\n';
    const source = parseTomlSource(text, FILE);
    const missing = source.locate(["task", 1, "title"]);
    expect(missing).toMatchObject({ line: 4, column: 1, exact: false });
    expect(source.locate(["nothing", "here"])).toMatchObject({ line: 1, column: 1, exact: false });
  });

  it("keeps columns right with CRLF line endings", () => {
    const text = "[a]\r\n  b = 1\r\n[c]\r\nd = [\r\n  1,\r\n  2,\r\n]\r\n";
    const source = parseTomlSource(text, FILE);
    expect(source.diagnostics).toEqual([]);
    expect(pos(source, ["a", "b"])).toEqual({ line: 2, column: 3 });
    expect(pos(source, ["c", "d", 1])).toEqual({ line: 6, column: 3 });
  });

  it("points locateValue at the value and keeps the underline on one line", () => {
    const text = 'parallel = "two"\nlist = [\n  1,\n]\n';
    const source = parseTomlSource(text, FILE);
    expect(source.locateValue(["parallel"])).toMatchObject({ line: 1, column: 12, length: 5, exact: true });
    expect(source.locateValue(["list"])).toMatchObject({ line: 2, column: 8, length: 1 });
  });
});
