// VMD, Ossature 0.2.1's verification-case format, read exactly as Ossature's
// parser (src/ossature/parsers/vmd.py) reads it: directives, fixtures, function
// groups with their case rows, and scenarios. Every error Ossature raises is a
// diagnostic here with Ossature's wording (without its "line N:" prefix, which
// becomes the position) so its tests (test/fixtures/ossature/) are our table.
// VMD is line-oriented, so a line scanner is all it needs, no chevrotain.

import type {
  JsonValue,
  VmdCase,
  VmdCommandStep,
  VmdDocument,
  VmdExpectation,
  VmdFixture,
  VmdGiven,
  VmdGroup,
  VmdMode,
  VmdParam,
  VmdScenario,
  VmdStreamMode,
  VmdWord,
} from "./ast.js";
import { diagnostic, type Diagnostic } from "./diagnostic.js";
import { loads, rawDecode } from "./py-json.js";
import { pyRegex } from "./py-regex.js";
import { SPEC_ID_PATTERN, SPEC_ID_RULE, STATUSES } from "./spec-meta.js";

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const IDENT_AT = /[A-Za-z_][A-Za-z0-9_]*/y;
const CASE_NAME = /^[A-Za-z0-9_-]+$/;
const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ERROR_TYPE = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/;
const FIXTURE = /^@fixture\s+(\S+)\s*=\s*(.+)$/;
const COVERS_SLUG = /^[A-Za-z0-9_-]+$/;
const SCENARIO = /^scenario\s+(.+):$/;
const GIVEN = /^given\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?:=\s*(.+))?$/;
const CALL = /^([A-Za-z_][A-Za-z0-9_.-]*)\((.*)\)$/;
const STREAM_THEN = /^(stdout|stderr)\s+(has|is|matches|empty)\s*(.*)$/;
const HEX2 = /^[0-9a-fA-F]{2}$/;
// Python's int(): optional sign, digits with single underscores between them.
const PY_INT = /^[+-]?\d(?:_?\d)*$/;
// Python's float(): the forms `float("…")` takes, inf/nan words included.
const PY_FLOAT = /^[+-]?(?:(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.|inf|infinity|nan)$/i;

// Fixture names that would collide with literals the cell decoder keeps for itself.
const RESERVED_FIXTURE_NAMES = new Set(["true", "false", "null", "NaN", "Infinity", "Ok"]);
const VALUE_MODES = new Set<string>(["approx", "unordered", "matches", "struct", "decimal"]);
const PARAM_TYPES = new Set(["decimal"]);
// A scenario command is an exec call, not a shell: these are refused outside quotes.
const SHELL_METACHARS = new Set(["|", "<", ">", ";", "&"]);
const STEP_HINT = "inside a scenario, lines must start with given, when, then, or >";

/** Per character: inside a double-quoted JSON string (quotes included). */
function insideStringMask(line: string): boolean[] {
  const mask = new Array<boolean>(line.length).fill(false);
  let inString = false;
  let escape = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (inString) {
      mask[i] = true;
      if (escape) escape = false;
      else if (ch === "\\") escape = true;
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      mask[i] = true;
    }
  }
  return mask;
}

/** Drops a trailing `# …` comment, ignoring `#` inside JSON strings. */
function stripComment(line: string): string {
  const mask = insideStringMask(line);
  for (let i = 0; i < line.length; i++) if (line[i] === "#" && !mask[i]) return line.slice(0, i);
  return line;
}

interface Cell {
  text: string;
  /** 0-based offset of the trimmed text in the line it was split from. */
  at: number;
}

function trimmedCell(line: string, start: number, end: number): Cell {
  const piece = line.slice(start, end);
  const lead = piece.length - piece.trimStart().length;
  return { text: piece.trim(), at: start + lead };
}

/** Splits on `sep` outside JSON strings. */
function splitOutsideStrings(line: string, sep: string): Cell[] {
  const mask = insideStringMask(line);
  const cells: Cell[] = [];
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === sep && !mask[i]) {
      cells.push(trimmedCell(line, start, i));
      start = i + 1;
    }
  }
  cells.push(trimmedCell(line, start, line.length));
  return cells;
}

/** The stable identity of a scenario name (Ossature's `_slugify`). */
export function scenarioSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

function pyRepr(s: string): string {
  // Python's repr of a str: single quotes unless the text holds one and no double quote.
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of s) {
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f) out += "\\x" + ch.charCodeAt(0).toString(16).padStart(2, "0");
    else out += ch;
  }
  return quote + out + quote;
}

/** A located problem on the line being read; `at` is a 0-based offset in the stripped line. */
type Report = (message: string, code: string, at?: number, extra?: { hint?: string; length?: number }) => void;

interface ScenarioBuilder {
  scenario: VmdScenario;
  givenNames: Map<string, VmdGiven>;
  exitSeen: boolean;
  dead: boolean;
}

type Current = { kind: "group"; group: VmdGroup } | { kind: "invalid" } | { kind: "scenario"; builder: ScenarioBuilder } | undefined;

/** Parses normalised VMD text (see normalizeSource); problems are appended to `diagnostics`. */
export function parseVmd(text: string, file: string, diagnostics: Diagnostic[]): VmdDocument {
  const rawLines = text.split("\n");
  const reporter =
    (line: number, base: number): Report =>
    (message, code, at = 0, extra = {}) =>
      diagnostics.push(diagnostic("error", file, line, base + at + 1, message, { code: `vmd/${code}`, ...extra }));
  const stripped = (raw: string) => {
    const noComment = stripComment(raw);
    return { line: noComment.trim(), base: noComment.length - noComment.trimStart().length };
  };

  // Pass 1: fixtures, so groups and scenarios anywhere in the file can use them.
  const fixtures = new Map<string, VmdFixture>();
  rawLines.forEach((raw, i) => {
    const { line, base } = stripped(raw);
    if (line.startsWith("@fixture")) parseFixture(line, i + 1, base, fixtures, reporter(i + 1, base));
  });

  // Pass 2: directives, group signatures, case rows and scenario stanzas.
  const doc: VmdDocument = { kind: "vmd", fixtures: [...fixtures.values()].sort((a, b) => a.line - b.line), groups: [], scenarios: [] };
  const directiveLines = new Map<string, number>();
  const seenGroups = new Set<string>();
  const seenSlugs = new Map<string, number>();
  let pendingCovers: string[] = [];
  let pendingCoversLine = 0;
  let pendingCoversColumn = 1;
  let current: Current;

  rawLines.forEach((raw, index) => {
    const lineno = index + 1;
    if (raw.trim() === "") {
      current = undefined;
      return;
    }
    // Verbatim output lines keep their raw text: a `#` there is expected stdout, not a comment.
    if (current?.kind === "scenario" && raw.trim().startsWith(">")) {
      const base = raw.length - raw.trimStart().length;
      parseOutputLine(current.builder, raw.trim(), lineno, reporter(lineno, base));
      return;
    }
    const { line, base } = stripped(raw);
    if (line === "") return; // a comment-only line separates nothing
    const report = reporter(lineno, base);

    if (line.startsWith("@")) {
      current = undefined;
      const word = line.split(/\s+/, 1)[0]!;
      const rest = line.slice(word.length).trim();
      const restAt = line.length - line.slice(word.length).trimStart().length;
      if (word === "@fixture") return; // read in pass 1
      if (word === "@covers") {
        pendingCovers.push(...parseCovers(rest, restAt, report));
        pendingCoversLine = lineno;
        pendingCoversColumn = base + 1;
        return;
      }
      if (word === "@spec" || word === "@arch" || word === "@status") {
        const first = directiveLines.get(word);
        if (first !== undefined) {
          report(`duplicate ${word} directive (first on line ${first})`, "duplicate-directive", 0, { hint: "a .vmd file states each directive once", length: word.length });
          return;
        }
        directiveLines.set(word, lineno);
        if (!rest) {
          report(`${word} needs a value`, "directive-value", 0, {
            hint: word === "@status" ? `one of ${STATUSES.join(", ")}` : "write e.g. `" + word + " WORDCOUNT`, the `id` of the .smd",
            length: word.length,
          });
        } else if (word === "@status") {
          doc.status = { value: rest, line: lineno, column: base + restAt + 1 };
        } else if (SPEC_ID_PATTERN.test(rest)) {
          const at = { id: rest, line: lineno, column: base + restAt + 1 };
          if (word === "@spec") doc.spec = at;
          else doc.arch = at;
        } else {
          report(`invalid ${word} id: ${pyRepr(rest)}`, "spec-id", restAt, { hint: SPEC_ID_RULE, length: rest.length });
        }
        return;
      }
      report(`unknown directive ${pyRepr(word)}`, "unknown-directive", 0, { hint: "the directives are @spec, @arch, @status, @fixture and @covers", length: word.length });
      return;
    }

    const scenarioMatch = SCENARIO.exec(line);
    if (scenarioMatch) {
      const name = scenarioMatch[1]!.trim();
      const slug = scenarioSlug(name);
      const scenario: VmdScenario = { name, slug, kind: "", covers: pendingCovers, givens: [], steps: [], line: lineno, column: base + 1 };
      const builder: ScenarioBuilder = { scenario, givenNames: new Map(), exitSeen: false, dead: false };
      pendingCovers = [];
      const nameAt = line.indexOf(scenarioMatch[1]!);
      if (!slug) {
        report("scenario name needs at least one word", "scenario-name", nameAt, { hint: "name the behaviour in plain words, e.g. `scenario rejects an empty file:`" });
        builder.dead = true;
      } else if (seenSlugs.has(slug)) {
        report(`scenario '${name}' duplicates the scenario on line ${seenSlugs.get(slug)}`, "duplicate-scenario", nameAt, {
          hint: "scenario names are their identity (compared as lower-case words); rename one",
          length: name.length,
        });
        builder.dead = true;
      } else {
        seenSlugs.set(slug, lineno);
        doc.scenarios.push(scenario);
      }
      current = { kind: "scenario", builder };
      return;
    }

    if (current?.kind === "scenario") {
      parseScenarioStep(current.builder, line, lineno, base, fixtures, report);
      return;
    }

    if (current === undefined) {
      const group = parseSignature(line, lineno, base, fixtures, report);
      if (!group) {
        current = { kind: "invalid" };
        return;
      }
      group.covers = pendingCovers;
      pendingCovers = [];
      // Case-insensitive, like Ossature's cross-file uniqueness check.
      const key = `${group.name.toLowerCase()}/${group.arity}`;
      if (seenGroups.has(key)) {
        report(`duplicate group '${group.name}' with ${group.arity} parameter(s)`, "duplicate-group", 0, {
          hint: "a group is named by its function and its number of input columns; merge the rows into one group",
          length: group.name.length,
        });
      }
      seenGroups.add(key);
      doc.groups.push(group);
      current = { kind: "group", group };
      return;
    }
    if (current.kind === "invalid") return;
    parseValueRow(current.group, line, lineno, base, fixtures, report);
  });

  if (pendingCovers.length > 0) {
    diagnostics.push(
      diagnostic("error", file, pendingCoversLine, pendingCoversColumn, "@covers is not followed by a group or scenario", {
        code: "vmd/dangling-covers",
        hint: "put `@covers` on the line just above a group signature or a `scenario …:` line",
      }),
    );
  }
  if (!doc.spec && !directiveLines.has("@spec")) {
    diagnostics.push(
      diagnostic("error", file, 1, 1, "Missing required directive: @spec", { hint: "add a line `@spec ID` at the top, ID being the .smd's `id`", code: "vmd/missing-spec" }),
    );
  }
  if (doc.status && !(STATUSES as readonly string[]).includes(doc.status.value)) {
    diagnostics.push(
      diagnostic("error", file, doc.status.line, doc.status.column, `Invalid status: '${doc.status.value}'. Expected one of: ${[...STATUSES].sort().join(", ")}`, {
        code: "vmd/status",
        length: doc.status.value.length,
      }),
    );
  }
  if (doc.groups.length === 0 && doc.scenarios.length === 0) {
    diagnostics.push(
      diagnostic("error", file, 1, 1, "No case groups or scenarios found (need at least one)", {
        code: "vmd/empty",
        hint: "add a group (`f(x)` then rows `name | input | expected`) or a `scenario name:` stanza",
      }),
    );
  }
  for (const group of doc.groups) {
    if (group.cases.length === 0) {
      diagnostics.push(diagnostic("error", file, group.line, group.column, `group '${group.name}' has no case rows`, { code: "vmd/no-cases", hint: "rows follow the signature line, with no blank line between", length: group.name.length }));
    }
  }
  for (const s of doc.scenarios) {
    if (!s.kind) diagnostics.push(diagnostic("error", file, s.line, s.column, `scenario '${s.name}' has no when step`, { code: "vmd/no-when", hint: "add `when f(args)` or `when $ command`" }));
    else if (s.kind === "call" && s.call && !s.call.expect) {
      diagnostics.push(diagnostic("error", file, s.line, s.column, `scenario '${s.name}' has a when call with no then`, { code: "vmd/no-then", hint: "add `then returns <JSON>`, `then raises Type: message` or `then ok`" }));
    }
  }
  return doc;
}

function parseFixture(line: string, lineno: number, base: number, fixtures: Map<string, VmdFixture>, report: Report): void {
  const m = FIXTURE.exec(line);
  if (!m) {
    report("malformed @fixture (expected '@fixture NAME = value')", "fixture", 0, { hint: 'e.g. `@fixture BASE = {"items": []}` or `@fixture conn = !fresh empty database`' });
    return;
  }
  const name = m[1]!;
  const rest = m[2]!.trim();
  const nameAt = line.indexOf(name, "@fixture".length);
  const restAt = line.lastIndexOf(rest);
  if (!IDENT.test(name)) {
    report(`invalid fixture name '${name}'`, "fixture-name", nameAt, { hint: "a fixture name is an identifier: letters, digits and `_`, not starting with a digit", length: name.length });
    return;
  }
  if (RESERVED_FIXTURE_NAMES.has(name)) {
    report(`fixture name '${name}' is reserved`, "fixture-name", nameAt, { hint: "true, false, null, NaN, Infinity and Ok are values of a cell", length: name.length });
    return;
  }
  const first = fixtures.get(name);
  if (first) {
    report(`duplicate fixture '${name}' (first on line ${first.line})`, "duplicate-fixture", nameAt, { length: name.length });
    return;
  }
  if (rest.startsWith("!")) {
    const label = rest.slice(1).trim();
    if (!label) {
      report(`opaque fixture '${name}' needs a constructor label`, "fixture", restAt, { hint: "say what the harness constructs, e.g. `!fresh empty sqlite`" });
      return;
    }
    fixtures.set(name, { name, opaque: true, label, value: null, raw: "", line: lineno, column: base + 1 });
    return;
  }
  const decoded = loads(rest);
  if (!decoded.ok) {
    report(`fixture '${name}' value is not valid JSON: ${pyRepr(rest)}`, "json", restAt + Math.min(decoded.at, rest.length), { hint: `${decoded.message}; a fixture is one JSON value, or \`!label\` for a handle` });
    return;
  }
  fixtures.set(name, { name, opaque: false, label: "", value: decoded.value, raw: rest, line: lineno, column: base + 1 });
}

function parseCovers(rest: string, restAt: number, report: Report): string[] {
  if (!rest) {
    report("@covers needs at least one target", "covers", 0, { hint: "a requirement anchor (`count-words`) or its quoted heading (`\"Count words\"`), comma separated", length: "@covers".length });
    return [];
  }
  const targets: string[] = [];
  for (const part of splitOutsideStrings(rest, ",")) {
    const at = restAt + part.at;
    if (!part.text) {
      report("empty @covers target", "covers", at);
    } else if (part.text.startsWith('"')) {
      const decoded = loads(part.text);
      if (!decoded.ok) {
        report(`malformed quoted @covers target: ${part.text}`, "covers", at, { hint: "a quoted heading is a JSON string", length: part.text.length });
        continue;
      }
      if (typeof decoded.value !== "string" || !decoded.value.trim()) {
        report("@covers target must be a non-empty string", "covers", at, { length: part.text.length });
        continue;
      }
      targets.push(decoded.value.trim());
    } else if (COVERS_SLUG.test(part.text)) {
      targets.push(part.text);
    } else {
      report(`invalid @covers target '${part.text}' (use an anchor slug or a quoted heading)`, "covers", at, { length: part.text.length });
    }
  }
  return targets;
}

function parseSignature(line: string, lineno: number, base: number, fixtures: Map<string, VmdFixture>, report: Report): VmdGroup | undefined {
  const openIdx = line.indexOf("(");
  const closeIdx = openIdx !== -1 ? line.indexOf(")", openIdx) : -1;
  if (openIdx <= 0 || closeIdx === -1) {
    report(`expected a group signature like 'name(param1, param2)' or a 'scenario name:' stanza, got: ${pyRepr(line)}`, "syntax", 0, {
      hint: "outside a group or a scenario, a line is a directive, a signature, a `scenario …:` line or a `#` comment",
      length: line.length,
    });
    return undefined;
  }
  let failed = false;
  const fail: Report = (...args) => {
    failed = true;
    report(...args);
  };
  const name = line.slice(0, openIdx).trim();
  if (!GROUP_NAME.test(name)) fail(`invalid group name '${name}'`, "group-name", 0, { hint: "a group is named by its function: letters, digits, `_`, `.`, `-`, not starting with a digit", length: Math.max(name.length, 1) });
  const paramsText = line.slice(openIdx + 1, closeIdx);
  const afterClose = line.slice(closeIdx + 1);
  const rest = afterClose.trim();
  const restAt = closeIdx + 1 + (afterClose.length - afterClose.trimStart().length);

  let returns = "";
  let modesText = rest;
  let modesAt = restAt;
  if (rest.startsWith("->")) {
    const tilde = rest.indexOf("~");
    returns = rest.slice(2, tilde !== -1 ? tilde : rest.length).trim();
    modesText = tilde !== -1 ? rest.slice(tilde) : "";
    modesAt = restAt + (tilde !== -1 ? tilde : 0);
  } else if (rest && !rest.startsWith("~")) {
    fail(`unexpected text after signature: ${pyRepr(rest)}`, "signature", restAt, { hint: "after `)` come only `-> type` and `~mode` tokens", length: rest.length });
    modesText = "";
  }

  const modes: VmdMode[] = [];
  let approxTol: number | undefined;
  const tokenRe = /\S+/g;
  for (let m = tokenRe.exec(modesText); m; m = tokenRe.exec(modesText)) {
    const token = m[0];
    const at = modesAt + m.index;
    if (!token.startsWith("~")) {
      fail(`expected a ~mode token, got '${token}'`, "mode", at, { length: token.length });
      continue;
    }
    const body = token.slice(1);
    const colon = body.indexOf(":");
    const mode = colon === -1 ? body : body.slice(0, colon);
    const arg = colon === -1 ? "" : body.slice(colon + 1);
    if (mode === "cli") {
      fail(`~cli groups were replaced by scenarios; write a 'scenario name:' stanza with 'when $ ${name} ...'`, "mode", at, { length: token.length });
    } else if (VALUE_MODES.has(mode)) {
      if (mode === "approx" && arg) {
        if (PY_FLOAT.test(arg.trim())) approxTol = Number(arg.replace(/_/g, "").replace(/^([+-]?)inf(inity)?$/i, "$1Infinity"));
        else fail(`invalid ~approx tolerance '${arg}'`, "mode", at, { hint: "e.g. `~approx:0.001`", length: token.length });
      } else if (arg) {
        fail(`mode ~${mode} takes no argument`, "mode", at, { length: token.length });
      }
      if (modes.includes(mode as VmdMode)) fail(`duplicate mode ~${mode}`, "mode", at, { length: token.length });
      else modes.push(mode as VmdMode);
    } else {
      fail(`unknown mode ~${mode}`, "mode", at, { hint: "the modes are ~approx[:tol], ~unordered, ~matches, ~struct and ~decimal", length: token.length });
    }
  }

  const params: VmdParam[] = [];
  const seen = new Set<string>();
  const paramsAt = openIdx + 1;
  for (const part of splitPlain(paramsText, ",")) {
    const at = paramsAt + part.at;
    if (!part.text) {
      if (paramsText.trim()) fail("empty parameter in signature", "param", at);
      continue;
    }
    const colon = part.text.indexOf(":");
    const pname = (colon === -1 ? part.text : part.text.slice(0, colon)).trim();
    let ptype = colon === -1 ? "" : part.text.slice(colon + 1).trim();
    if (!IDENT.test(pname)) {
      fail(`invalid parameter name '${pname}'`, "param", at, { length: part.text.length });
      continue;
    }
    if (ptype && !PARAM_TYPES.has(ptype)) {
      fail(`unknown parameter type '${ptype}' (supported: ${[...PARAM_TYPES].sort().join(", ")})`, "param", at + colon + 1, { length: ptype.length });
      ptype = "";
    }
    if (seen.has(pname)) {
      fail(`duplicate parameter name '${pname}'`, "param", at, { length: pname.length });
      continue;
    }
    seen.add(pname);
    const fixture = fixtures.get(pname);
    params.push({ name: pname, type: ptype as "" | "decimal", opaqueFixture: fixture?.opaque ? pname : "", line: lineno, column: base + at + 1 });
  }
  if (failed) return undefined;
  const group: VmdGroup = { name, params, returns, modes, covers: [], cases: [], arity: params.filter((p) => !p.opaqueFixture).length, line: lineno, column: base + 1 };
  if (approxTol !== undefined) group.approxTol = approxTol;
  return group;
}

/** Splits on `sep` with no string awareness (Ossature splits parameters so). */
function splitPlain(text: string, sep: string): Cell[] {
  const cells: Cell[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === sep) {
      cells.push(trimmedCell(text, start, i));
      start = i + 1;
    }
  }
  return cells;
}

type CellValue = { ok: true; value: JsonValue; raw: string } | { ok: false; message: string };

function decodeValueCell(raw: string, fixtures: Map<string, VmdFixture>): CellValue {
  if (!raw) return { ok: false, message: "empty cell" };
  const fixture = IDENT.test(raw) ? fixtures.get(raw) : undefined;
  if (fixture) {
    if (fixture.opaque) return { ok: false, message: `opaque fixture '${raw}' cannot be used as a value` };
    return { ok: true, value: fixture.value, raw: fixture.raw };
  }
  const decoded = loads(raw);
  if (decoded.ok) return { ok: true, value: decoded.value, raw };
  return { ok: false, message: `not valid JSON (and not a known fixture name): ${pyRepr(raw)}` };
}

function isDecimalCell(value: JsonValue): boolean {
  if (typeof value === "number") return true;
  return typeof value === "string" && DECIMAL.test(value);
}

function parseErrorExpectation(body: string): { type: string; message: string } {
  const colon = body.indexOf(":");
  return colon === -1 ? { type: body.trim(), message: "" } : { type: body.slice(0, colon).trim(), message: body.slice(colon + 1).trim() };
}

function parseValueRow(group: VmdGroup, line: string, lineno: number, base: number, fixtures: Map<string, VmdFixture>, report: Report): void {
  const cells = splitOutsideStrings(line, "|");
  const columns = group.params.filter((p) => !p.opaqueFixture);
  const expectedCount = 1 + columns.length + 1;
  if (cells.length !== expectedCount) {
    report(`group '${group.name}' rows need ${expectedCount} columns (name, ${columns.length} input(s), expected), got ${cells.length}`, "columns", 0, {
      hint: `the signature is ${group.name}(${group.params.map((p) => p.name).join(", ")}); a row is \`name | ${columns.map((p) => p.name).join(" | ")}${columns.length ? " | " : ""}expected\``,
      length: line.length,
    });
    return;
  }
  const name = cells[0]!.text;
  if (!CASE_NAME.test(name)) {
    report(`invalid case name '${name}'`, "case-name", cells[0]!.at, { hint: "a case name is one word of letters, digits, `_` and `-`", length: Math.max(name.length, 1) });
    return;
  }
  if (group.cases.some((c) => c.name === name)) {
    report(`duplicate case name '${name}' in group '${group.name}'`, "duplicate-case", cells[0]!.at, { length: name.length });
    return;
  }
  const inputs: JsonValue[] = [];
  const rawInputs: string[] = [];
  let ok = true;
  columns.forEach((param, i) => {
    const cell = cells[i + 1]!;
    const decoded = decodeValueCell(cell.text, fixtures);
    if (!decoded.ok) {
      report(`case '${name}', input '${param.name}': ${decoded.message}`, "cell", cell.at, { hint: 'a cell is one JSON value (`"text"`, `12`, `[1, 2]`) or a fixture name', length: Math.max(cell.text.length, 1) });
      ok = false;
      return;
    }
    if (param.type === "decimal" && !isDecimalCell(decoded.value)) {
      report(`case '${name}', input '${param.name}' is a decimal column and needs a number or a numeric string like "12.50"`, "cell", cell.at, { length: Math.max(cell.text.length, 1) });
      ok = false;
      return;
    }
    inputs.push(decoded.value);
    rawInputs.push(decoded.raw);
  });
  const last = cells[cells.length - 1]!;
  let expect: VmdExpectation;
  if (last.text.startsWith("!")) {
    const { type, message } = parseErrorExpectation(last.text.slice(1));
    if (!ERROR_TYPE.test(type)) {
      report(`case '${name}': invalid error type '${type}'`, "error-type", last.at, { hint: "`!ErrorType` or `!ErrorType: message`, the type an identifier", length: last.text.length });
      return;
    }
    expect = { kind: "error", type, message };
  } else if (last.text === "Ok") {
    expect = { kind: "ok" };
  } else {
    const decoded = decodeValueCell(last.text, fixtures);
    if (!decoded.ok) {
      report(`case '${name}', expected: ${decoded.message}`, "cell", last.at, { hint: "the expected cell is a JSON value, `!ErrorType[: message]` or `Ok`", length: Math.max(last.text.length, 1) });
      return;
    }
    if (group.modes.includes("matches") && typeof decoded.value !== "string") {
      report(`case '${name}': ~matches groups need a string pattern as the expected value`, "cell", last.at, { length: last.text.length });
      return;
    }
    expect = { kind: "value", value: decoded.value, raw: decoded.raw };
  }
  if (ok) group.cases.push({ name, inputs, rawInputs, expect, line: lineno, column: base + 1 } satisfies VmdCase);
}

// ---------------------------------------------------------------------------
// Scenarios

type Words = { ok: true; words: VmdWord[] } | { ok: false; message: string };

const encoder = new TextEncoder();

/**
 * Splits a `when $` command into argv words: white space separates, double
 * quotes group, `\xNN` makes a raw byte (and the word bytes), `\"` `\\` `\ `
 * escape. No shell: `| < > ; &` outside quotes are refused.
 */
export function splitCommandWords(text: string): Words {
  const words: VmdWord[] = [];
  let i = 0;
  const n = text.length;
  const hexAt = (j: number) => j + 3 < n + 0 && text[j + 1] === "x" && HEX2.test(text.slice(j + 2, j + 4));
  while (i < n) {
    while (i < n && (text[i] === " " || text[i] === "\t")) i++;
    if (i >= n) break;
    const buf: number[] = [];
    let hasBytes = false;
    const put = (s: string) => buf.push(...encoder.encode(s));
    while (i < n && text[i] !== " " && text[i] !== "\t") {
      const ch = text[i]!;
      if (ch === '"') {
        i++;
        let closed = false;
        while (i < n) {
          const qc = text[i]!;
          if (qc === '"') {
            closed = true;
            i++;
            break;
          }
          if (qc === "\\" && i + 1 < n) {
            const next = text[i + 1]!;
            if (next === "x" && i + 3 < n && HEX2.test(text.slice(i + 2, i + 4))) {
              buf.push(parseInt(text.slice(i + 2, i + 4), 16));
              hasBytes = true;
              i += 4;
              continue;
            }
            if (next === '"' || next === "\\") {
              put(next);
              i += 2;
              continue;
            }
          }
          put(qc);
          i++;
        }
        if (!closed) return { ok: false, message: "unterminated quote in command" };
      } else if (ch === "\\") {
        if (hexAt(i)) {
          buf.push(parseInt(text.slice(i + 2, i + 4), 16));
          hasBytes = true;
          i += 4;
        } else if (i + 1 < n && (text[i + 1] === '"' || text[i + 1] === "\\" || text[i + 1] === " ")) {
          put(text[i + 1]!);
          i += 2;
        } else {
          return { ok: false, message: `invalid escape at ${pyRepr(text.slice(i, i + 4))} (use \\xNN for bytes)` };
        }
      } else if (SHELL_METACHARS.has(ch)) {
        return { ok: false, message: `shell features are not available (${pyRepr(ch)}); a scenario runs one program per when step, no pipes or redirects` };
      } else {
        put(ch);
        i++;
      }
    }
    const bytes = Uint8Array.from(buf);
    if (hasBytes) words.push(bytes);
    else {
      try {
        words.push(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
      } catch {
        words.push(bytes);
      }
    }
  }
  if (words.length === 0) return { ok: false, message: "the command is empty" };
  return { ok: true, words };
}

type CallArgs = { ok: true; args: JsonValue[]; raws: string[] } | { ok: false; message: string };

function parseCallArgs(text: string, fixtures: Map<string, VmdFixture>, givens: Map<string, VmdGiven>): CallArgs {
  const args: JsonValue[] = [];
  const raws: string[] = [];
  const n = text.length;
  let i = 0;
  const skipBlank = () => {
    while (i < n && (text[i] === " " || text[i] === "\t")) i++;
  };
  for (;;) {
    skipBlank();
    if (i >= n) break;
    IDENT_AT.lastIndex = i;
    const m = IDENT_AT.exec(text);
    let isBare = false;
    let name = "";
    if (m) {
      let j = i + m[0].length;
      while (j < n && (text[j] === " " || text[j] === "\t")) j++;
      isBare = j >= n || text[j] === ",";
      name = m[0];
    }
    const given = isBare ? givens.get(name) : undefined;
    const fixture = isBare ? fixtures.get(name) : undefined;
    if (given) {
      args.push(given.value);
      raws.push(given.raw || name);
      i += name.length;
    } else if (fixture && !fixture.opaque) {
      args.push(fixture.value);
      raws.push(fixture.raw);
      i += name.length;
    } else if (fixture) {
      return { ok: false, message: `opaque fixture '${name}' cannot be used as a call argument` };
    } else if (isBare && !["true", "false", "null", "NaN", "Infinity"].includes(name)) {
      return { ok: false, message: `unknown name '${name}' (not a given binding or fixture)` };
    } else {
      const decoded = rawDecode(text, i);
      if (!decoded.ok) return { ok: false, message: `argument is not valid JSON: ${pyRepr(text.slice(i))}` };
      args.push(decoded.value);
      raws.push(text.slice(i, decoded.end));
      i = decoded.end;
    }
    skipBlank();
    if (i >= n) break;
    if (text[i] !== ",") return { ok: false, message: `expected ',' between arguments, got ${pyRepr(text.slice(i))}` };
    i++;
  }
  return { ok: true, args, raws };
}

function parseOutputLine(builder: ScenarioBuilder, raw: string, lineno: number, report: Report): void {
  const { scenario } = builder;
  if (builder.dead) return;
  const step = scenario.steps[scenario.steps.length - 1];
  if (scenario.kind !== "command" || !step) {
    report("'>' output lines need a preceding 'when $' step", "output-line", 0, { hint: "`>` lines are the expected stdout of the `when $` step above them" });
    builder.dead = true;
    return;
  }
  if (step.stdout) {
    report(`scenario '${scenario.name}': '>' lines and a 'then stdout' check are mutually exclusive`, "output-line", 0, { hint: "keep either the verbatim `>` lines or the `then stdout` check" });
    builder.dead = true;
    return;
  }
  let content = raw.slice(1);
  if (content.startsWith(" ")) content = content.slice(1);
  (step.stdoutLines ??= []).push(content);
}

function parseScenarioStep(builder: ScenarioBuilder, line: string, lineno: number, base: number, fixtures: Map<string, VmdFixture>, report: Report): void {
  if (builder.dead) return;
  const { scenario } = builder;
  const word = line.split(/\s+/, 1)[0]!;
  const die: Report = (...args) => {
    report(...args);
    builder.dead = true;
  };

  if (word === "given") {
    if (scenario.kind) return die("given steps come before the first when", "step-order");
    const m = GIVEN.exec(line);
    if (!m) return die("expected 'given name = <JSON>' or 'given FIXTURE'", "given", 0, { length: line.length });
    const name = m[1]!;
    const valueText = m[2];
    const nameAt = line.indexOf(name, "given".length);
    if (builder.givenNames.has(name)) return die(`duplicate given '${name}'`, "given", nameAt, { length: name.length });
    let binding: VmdGiven;
    if (valueText === undefined) {
      const fixture = fixtures.get(name);
      if (!fixture) return die(`given references unknown fixture '${name}'`, "given", nameAt, { hint: "declare it with `@fixture NAME = value`, or bind a value: `given name = <JSON>`", length: name.length });
      binding = { name, value: fixture.value, raw: fixture.raw, fixture: name, opaque: fixture.opaque, line: lineno, column: base + 1 };
    } else {
      const decoded = loads(valueText);
      if (!decoded.ok) return die(`given '${name}' value is not valid JSON: ${pyRepr(valueText)}`, "json", line.lastIndexOf(valueText), { hint: decoded.message, length: valueText.length });
      binding = { name, value: decoded.value, raw: valueText.trim(), fixture: "", opaque: false, line: lineno, column: base + 1 };
    }
    builder.givenNames.set(name, binding);
    scenario.givens.push(binding);
    return;
  }

  if (word === "when") {
    const rest = line.slice("when".length).trim();
    const restAt = line.length - line.slice("when".length).trimStart().length;
    if (rest.startsWith("$")) {
      if (scenario.kind === "call") return die("a scenario mixes call and command steps; use two scenarios", "mixed-steps");
      const split = splitCommandWords(rest.slice(1).trim());
      if (!split.ok) return die(split.message, "command", restAt, { length: rest.length });
      scenario.kind = "command";
      scenario.steps.push({ argv: split.words, exitCode: 0, line: lineno, column: base + 1 } satisfies VmdCommandStep);
      builder.exitSeen = false;
      return;
    }
    const m = CALL.exec(rest);
    if (!m) return die("expected 'when target(args)' or 'when $ command'", "when", restAt, { length: Math.max(rest.length, 1) });
    if (scenario.kind === "command") return die("a scenario mixes call and command steps; use two scenarios", "mixed-steps");
    if (scenario.kind === "call") return die("a function scenario has exactly one when step; sequences are for command scenarios", "second-when");
    const parsed = parseCallArgs(m[2]!, fixtures, builder.givenNames);
    if (!parsed.ok) return die(parsed.message, "call-args", restAt + m[1]!.length + 1, { length: m[2]!.length || 1 });
    scenario.kind = "call";
    scenario.call = { target: m[1]!, args: parsed.args, rawArgs: parsed.raws, line: lineno, column: base + 1 };
    return;
  }

  if (word === "then") {
    const rest = line.slice("then".length).trim();
    const restAt = line.length - line.slice("then".length).trimStart().length;
    if (!scenario.kind) return die("then needs a preceding when step", "step-order");
    if (scenario.kind === "call") parseCallThen(builder, rest, restAt, die);
    else parseCommandThen(builder, rest, restAt, die);
    return;
  }
  die(`unexpected line ${pyRepr(line)} (${STEP_HINT})`, "step", 0, { length: word.length });
}

function parseCallThen(builder: ScenarioBuilder, rest: string, restAt: number, die: Report): void {
  const { scenario } = builder;
  const call = scenario.call;
  if (!call) return;
  if (call.expect) return die(`scenario '${scenario.name}': a function scenario has one then`, "second-then");
  if (rest === "ok") {
    call.expect = { kind: "ok" };
  } else if (rest.startsWith("returns")) {
    const valueText = rest.slice("returns".length).trim();
    const decoded = loads(valueText);
    if (!decoded.ok) return die(`'then returns' needs a JSON value, got: ${pyRepr(valueText)}`, "json", restAt, { length: rest.length });
    call.expect = { kind: "value", value: decoded.value, raw: valueText };
  } else if (rest.startsWith("raises")) {
    const { type, message } = parseErrorExpectation(rest.slice("raises".length).trim());
    if (!ERROR_TYPE.test(type)) return die(`invalid error type '${type}'`, "error-type", restAt, { length: rest.length });
    call.expect = { kind: "error", type, message };
  } else {
    die(`expected 'then returns <JSON>', 'then raises Type: message', or 'then ok', got: ${pyRepr(rest)}`, "then", restAt, { length: Math.max(rest.length, 1) });
  }
}

function parseCommandThen(builder: ScenarioBuilder, rest: string, restAt: number, die: Report): void {
  const { scenario } = builder;
  const step = scenario.steps[scenario.steps.length - 1]!;
  if (rest.startsWith("exit")) {
    const codeText = rest.slice("exit".length).trim();
    if (builder.exitSeen) return die("duplicate 'then exit' for this when step", "duplicate-then", restAt, { length: rest.length });
    if (!PY_INT.test(codeText)) return die(`'then exit' needs an integer, got: ${pyRepr(codeText)}`, "exit", restAt, { length: rest.length });
    step.exitCode = Number(codeText.replace(/_/g, ""));
    builder.exitSeen = true;
    return;
  }
  const m = STREAM_THEN.exec(rest);
  if (!m) {
    return die(`expected 'then exit N', 'then stdout|stderr has|is|matches "text"', or 'then stdout|stderr empty', got: ${pyRepr(rest)}`, "then", restAt, { length: Math.max(rest.length, 1) });
  }
  const channel = m[1] as "stdout" | "stderr";
  const mode = m[2] as VmdStreamMode;
  const valueText = m[3]!.trim();
  if (channel === "stdout" && step.stdoutLines) {
    return die(`scenario '${scenario.name}': '>' lines and a 'then stdout' check are mutually exclusive`, "output-line", restAt);
  }
  if (step[channel]) return die(`duplicate 'then ${channel}' check`, "duplicate-then", restAt, { length: rest.length });
  if (mode === "empty") {
    if (valueText) return die(`'then ${channel} empty' takes no value`, "then", restAt, { length: rest.length });
    step[channel] = { mode };
    return;
  }
  const decoded = loads(valueText);
  if (!decoded.ok || typeof decoded.value !== "string") {
    return die(`'then ${channel} ${mode}' needs a JSON string, got: ${pyRepr(valueText)}`, "then", restAt, { hint: 'e.g. `then stdout has "done"`', length: rest.length });
  }
  if (mode === "matches") {
    const compiled = pyRegex(decoded.value);
    if (!compiled.ok) return die(`invalid matches pattern: ${compiled.message}`, "regex", restAt, { length: rest.length });
  }
  step[channel] = { mode, text: decoded.value };
}
