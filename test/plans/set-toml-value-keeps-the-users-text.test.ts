import { describe, expect, it } from "vitest";
import TOML from "@iarna/toml";
import { setTomlValue } from "../../plans/toml-set-value.js";

const CONFIG = `# my project
[project]
name = "calc"   # the name

[model]
# the one everyone uses
default = "qwen2.5-coder:14b"  # fast enough
build = 'old-model'     # trailing comment stays
temperature = 0.2

[build]
git = false
`;

describe("setting one TOML value in place", () => {
  it("replaces a value and keeps the comment after it and every other byte", () => {
    const out = setTomlValue(CONFIG, "model", "build", '"qwen3:8b"');
    expect(out).toBe(CONFIG.replace("build = 'old-model'     # trailing", 'build = "qwen3:8b"     # trailing'));
  });

  it("adds a missing key after the table's last key, before the next table", () => {
    const out = setTomlValue(CONFIG, "model", "planner", '"qwen3:32b"');
    expect(out).toBe(CONFIG.replace("temperature = 0.2\n", 'temperature = 0.2\nplanner = "qwen3:32b"\n'));
  });

  it("adds after a last key whose line ends in a comment, and after a multi-line array", () => {
    const text = '[model]\ndefault = "a" # note\n\n# planner = "b"\n[build]\nsetup = [\n  "make",\n]  # setup\n';
    expect(setTomlValue(text, "model", "fixer", '"c"')).toBe('[model]\ndefault = "a" # note\nfixer = "c"\n\n# planner = "b"\n[build]\nsetup = [\n  "make",\n]  # setup\n');
    expect(setTomlValue(text, "build", "git", "true")).toBe(text.replace(']  # setup\n', ']  # setup\ngit = true\n'));
  });

  it("keeps CRLF line breaks, inserted line included", () => {
    const crlf = CONFIG.replace(/\n/g, "\r\n");
    expect(setTomlValue(crlf, "model", "build", '"x"')).toBe(crlf.replace("build = 'old-model'", 'build = "x"'));
    expect(setTomlValue(crlf, "model", "audit", '"y"')).toBe(crlf.replace("temperature = 0.2\r\n", 'temperature = 0.2\r\naudit = "y"\r\n'));
  });

  it("creates a missing table at the end, on its own lines, even without a final newline", () => {
    expect(setTomlValue('[project]\nname = "x"', "model", "build", '"m"')).toBe('[project]\nname = "x"\n\n[model]\nbuild = "m"\n');
    expect(setTomlValue("", "model", "build", '"m"')).toBe('[model]\nbuild = "m"\n');
  });

  it("adds to an empty table right after its header, keeping a comment on the header line", () => {
    expect(setTomlValue('[model]  # models\n\n[build]\n', "model", "build", '"m"')).toBe('[model]  # models\nbuild = "m"\n\n[build]\n');
  });

  it("writes into a table given as dotted keys or an inline table in the same form", () => {
    expect(setTomlValue('model.default = "a"\nname = 1\n[build]\ngit = true\n', "model", "build", '"m"')).toBe('model.default = "a"\nmodel.build = "m"\nname = 1\n[build]\ngit = true\n');
    expect(setTomlValue('model = { default = "a" }\n', "model", "build", '"m"')).toBe('model = { default = "a", build = "m" }\n');
    expect(setTomlValue("model = {}\n", "model", "build", '"m"')).toBe('model = { build = "m" }\n');
  });

  it("changes the model inside a role's inline table, keeping think", () => {
    const text = '[model]\nbuild = { model = "a", think = true } # thinks\n';
    expect(setTomlValue(text, "model", ["build", "model"], '"b"')).toBe('[model]\nbuild = { model = "b", think = true } # thinks\n');
  });

  it("does not put a key into a sub-table when only [table.sub] exists", () => {
    const text = '[model.extra]\nx = 1\n';
    const out = setTomlValue(text, "model", "build", '"m"');
    expect(TOML.parse(out)).toEqual({ model: { extra: { x: 1 }, build: "m" } });
    expect(out.startsWith(text)).toBe(true);
  });

  it("keeps a byte order mark", () => {
    expect(setTomlValue('\uFEFF[model]\nbuild = "a"\n', "model", "build", '"b"')).toBe('\uFEFF[model]\nbuild = "b"\n');
  });

  it("refuses text that is not TOML", () => {
    expect(() => setTomlValue("[model\n", "model", "build", '"b"')).toThrow(/does not parse/);
  });
});
