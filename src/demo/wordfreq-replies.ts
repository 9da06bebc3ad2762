// The prepared replies of the scripted demo: what a good model might answer
// for examples/wordfreq at each step, written by hand. Requests are matched by
// what they ask (the role's system text, the spec id, the files a task must
// write), never by their order, so the TUI can run steps in any order and
// again. A request this file has no reply for gets a clear refusal instead of
// an invented answer: the demo shows the pipeline, it does not pretend to think.
// Past the build, one path is prepared too: the retrospective (which sees
// T002's fix), the ask its recommendation becomes, and the focused audit of
// the change that ask applies.

import { AUDIT_SYSTEM, FIX_SYSTEM } from "../audit/audit-prompt.js";
import { DEFAULT_MODEL } from "../config/default-model.js";
import { PLANNER_SYSTEM } from "../planning/planner-prompt.js";
import { REVIEW_SYSTEM } from "../build/review-prompt.js";
import { ASK_SYSTEM } from "../intent/ask-prompt.js";
import { FOCUSED_AUDIT_SYSTEM } from "../intent/focused-audit.js";
import { RETRO_SYSTEM } from "../report/retro.js";

export interface DemoMessage {
  role: string;
  content: string;
}

/** A prepared answer (`what` names it for logs and errors), or why there is none. */
export type PreparedReply = { ok: true; what: string; content: string } | { ok: false; message: string };

export const DEMO_SPEC_ID = "WORDFREQ";

const FENCE = "```";

// The spec leaves apostrophes open on purpose: the audit's warning is about
// it, and the fixer's edit (if a person asks for it in the TUI) settles it.
const WORD_RULE = "A word is a run of letters or digits; everything else separates words.";
const WORD_RULE_FIXED =
  "A word is a run of letters or digits, and an apostrophe between two letters belongs to the word (`don't` is one word); everything else separates words.";
const APOSTROPHE_SETTLED = "an apostrophe between two letters belongs to the word";
const READ_FILE_LINE = "Print the top words of a file, or of standard input when no file is given.";

export function preparedReply(messages: readonly DemoMessage[]): PreparedReply {
  const system = messages.find((m) => m.role === "system")?.content ?? "";
  const user = messages.find((m) => m.role === "user")?.content ?? "";
  if (system === AUDIT_SYSTEM) return auditReply(user);
  if (system === FIX_SYSTEM) return fixReply(user);
  if (system === PLANNER_SYSTEM) return planReply(user);
  if (system === REVIEW_SYSTEM) return reviewReply(user);
  if (system === RETRO_SYSTEM) return retroReply(user);
  if (system === ASK_SYSTEM) return askReply(user);
  if (system === FOCUSED_AUDIT_SYSTEM) return focusedAuditReply(user);
  const task = /^# Task (T\d+): (.*)$/m.exec(user);
  if (task) return buildReply(task[1]!, user, messages);
  return refuse("a request that is not this example's spec audit, audit fix, plan, build task, retrospective or the ask it recommends");
}

function refuse(what: string): PreparedReply {
  return {
    ok: false,
    message:
      `the scripted demo (not a model) has no prepared reply for ${what}. ` +
      `It only answers for the examples/wordfreq project as shipped; for anything else, run a real model with Ollama ` +
      `(ollama serve, ollama pull ${DEFAULT_MODEL}) and set [model] default in specwright.toml.`,
  };
}

// ---------------------------------------------------------------------------
// Review (the implementation judge)

/**
 * The scripted judge: for each item, the written line sharing most of the
 * item's words (four letters or more) is its evidence, quoted exactly as the
 * judge's rules ask, so specwright's quote check keeps it; an item no line
 * shares a word with is "cannot tell". It never fails a task: the demo's code
 * is the example's own, and a reviewer that sends work back is shown by the
 * test suite's scripted reviewers, not here.
 */
function reviewReply(user: string): PreparedReply {
  const items = [...user.matchAll(/^- (\S+) \(([^)]+)\): (.*)$/gm)].map((m) => ({ id: m[1]!, text: m[3]! }));
  const filesPart = user.slice(user.indexOf("# Files the task wrote"), user.indexOf("# Items to check"));
  const files = [...filesPart.matchAll(/^## (.+)\n\n(`{3,})\n([\s\S]*?)\n\2$/gm)].map((m) => ({ path: m[1]!, lines: m[3]!.split("\n") }));
  if (items.length === 0 || files.length === 0) return refuse("a review without items or files");
  const words = (text: string) => new Set((text.toLowerCase().match(/[a-z0-9]{4,}/g) ?? []).filter((w) => !STOP_WORDS.has(w)));
  const verdicts = items.map((item) => {
    const wanted = words(item.text);
    let best: { file: string; quote: string; shared: number } | undefined;
    for (const file of files) {
      for (const line of file.lines) {
        const quote = line.trim();
        if (quote === "") continue;
        const shared = [...words(quote)].filter((w) => wanted.has(w)).length;
        if (shared > 0 && (best === undefined || shared > best.shared)) best = { file: file.path, quote, shared };
      }
    }
    return best === undefined
      ? { item: item.id, verdict: "cannot-tell", file: files[0]!.path, quote: "", reason: "Scripted demo (not a model): no written line shares a word with the item." }
      : { item: item.id, verdict: "pass", file: best.file, quote: best.quote, reason: "Scripted demo (not a model): this line shares the most words with the item." };
  });
  return { ok: true, what: "review", content: JSON.stringify({ verdicts }, null, 2) };
}

const STOP_WORDS = new Set(["that", "this", "with", "from", "when", "each", "into", "than", "then", "they", "them", "their", "there", "have", "must", "should", "given", "only", "none"]);

// ---------------------------------------------------------------------------
// Audit

interface DemoFinding {
  severity: "error" | "warning" | "info";
  file: string;
  line: number;
  section: string;
  issue: string;
  suggestion: string;
}

function auditReply(user: string): PreparedReply {
  if (!user.startsWith(`Spec ${DEMO_SPEC_ID}:`)) return refuse(`an audit of a spec other than ${DEMO_SPEC_ID}`);
  const smd = /^=== file: (\S+\.smd) ===$/m.exec(user)?.[1];
  if (smd === undefined) return refuse(`an audit of ${DEMO_SPEC_ID} without its .smd file`);
  // Findings point at lines by number; find them in the text as sent, so an
  // edited spec still gets findings on the right lines (or none, once fixed).
  const lineOf = (text: string) => numberedLine(user, text);
  const findings: DemoFinding[] = [];
  const wordRule = lineOf("A word is a run of letters or digits");
  if (wordRule !== undefined && !user.includes(APOSTROPHE_SETTLED)) {
    findings.push({
      severity: "warning",
      file: smd,
      line: wordRule,
      section: "Requirements",
      issue:
        "Apostrophes are not settled: under \"a run of letters or digits\" the text don't counts as the two words \"don\" and \"t\", which is probably not meant, and another developer would keep \"don't\" whole.",
      suggestion: "Say whether an apostrophe between two letters belongs to the word, e.g. \"an apostrophe between two letters belongs to the word (don't is one word)\".",
    });
  }
  const readLine = lineOf(READ_FILE_LINE);
  if (readLine !== undefined && !/utf-?8/i.test(user)) {
    findings.push({
      severity: "info",
      file: smd,
      line: readLine,
      section: "Requirements",
      issue: "The encoding of the input is not stated. Bytes that are not valid UTF-8 would be decoded as replacement characters, which then separate words.",
      suggestion: "State that input is read as UTF-8, or name the encoding.",
    });
  }
  return { ok: true, what: `audit of ${DEMO_SPEC_ID}`, content: JSON.stringify({ findings }, null, 2) };
}

/** The line number of the first `  12| text` line containing `needle`. */
function numberedLine(numbered: string, needle: string): number | undefined {
  for (const line of numbered.split("\n")) {
    const match = /^\s*(\d+)\| (.*)$/.exec(line);
    if (match && match[2]!.includes(needle)) return Number(match[1]);
  }
  return undefined;
}

// One prepared edit per finding above, chosen by the finding's text (the fix
// prompt quotes it) and only while the text it replaces is still there.
const CLI_ACCEPTS = "**Accepts:** An optional `--top N` option (default 10) and an optional path to a text file.";
const CLI_ACCEPTS_FIXED = "**Accepts:** An optional `--top N` option (default 10) and an optional path to a text file. Input is read as UTF-8.";

function fixReply(user: string): PreparedReply {
  const finding = user.slice(user.lastIndexOf("\nFinding at line "));
  if (/apostrophe/i.test(finding) && user.includes(WORD_RULE)) {
    return { ok: true, what: "fix of the apostrophe warning", content: JSON.stringify({ search: WORD_RULE, replace: WORD_RULE_FIXED }) };
  }
  if (/encoding/i.test(finding) && user.includes(CLI_ACCEPTS)) {
    return { ok: true, what: "fix of the encoding note", content: JSON.stringify({ search: CLI_ACCEPTS, replace: CLI_ACCEPTS_FIXED }) };
  }
  return refuse("a fix of a finding other than the demo audit's two (apostrophes, encoding)");
}

// ---------------------------------------------------------------------------
// Plan

function planReply(user: string): PreparedReply {
  if (!user.includes(`Plan the tasks for spec ${DEMO_SPEC_ID}.`)) return refuse(`a plan for a spec other than ${DEMO_SPEC_ID}`);
  const tasks = [
    {
      key: "1",
      title: "Counting functions",
      description: "countWords and topWords: lower-case words split on anything but letters and digits, ranked by count and then alphabetically; RangeError for a bad n.",
      outputs: ["src/count.mjs"],
      depends_on: [],
      refs: ["requirements/count-words", "requirements/top-words", "components/Count", "constraints"],
      verify: ["node --check src/count.mjs"],
    },
    {
      key: "2",
      title: "Counting tests",
      description: "Unit tests for countWords and topWords, including the acceptance criteria.",
      outputs: ["test/count.test.mjs"],
      depends_on: ["1"],
      refs: ["requirements/count-words", "requirements/top-words", "acceptance criteria"],
      context: ["context/testing.md"],
      verify: ["node --test test/count.test.mjs"],
    },
    {
      key: "3",
      title: "Command line",
      description: "The wordfreq program: --top N, a file or standard input, one `<count> <word>` line per word, exit codes 0, 1 and 2.",
      outputs: ["src/cli.mjs"],
      depends_on: ["1"],
      refs: ["requirements/cli", "components/Cli", "examples", "constraints"],
      verify: ["node --check src/cli.mjs"],
    },
    {
      key: "4",
      title: "Command-line tests",
      description: "Run the program as a child process: standard input, a file, an empty text, usage errors, an unreadable file.",
      outputs: ["test/cli.test.mjs"],
      depends_on: ["3"],
      refs: ["requirements/cli", "examples", "acceptance criteria"],
      context: ["context/testing.md"],
      verify: ["node --test test/cli.test.mjs"],
    },
  ];
  return { ok: true, what: `plan for ${DEMO_SPEC_ID}`, content: JSON.stringify({ tasks }, null, 2) };
}

// ---------------------------------------------------------------------------
// Build

const file = (path: string, body: string) => `${path}\n${FENCE}js\n${body.trim()}\n${FENCE}\n`;

function countModule(apostrophes: boolean): string {
  const word = apostrophes ? "/[\\p{L}\\p{N}]+(?:['\u2019][\\p{L}\\p{N}]+)*/gu" : "/[\\p{L}\\p{N}]+/gu";
  return `// Word counting for wordfreq: pure functions, no I/O.

// Letters and digits of any script${apostrophes ? "; an apostrophe between two letters stays inside the word" : ""}.
const WORD = ${word};

/** Lower-case words with their counts, most frequent first, equal counts alphabetically. */
export function countWords(text) {
  const counts = new Map();
  for (const [word] of text.toLowerCase().matchAll(WORD)) {
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The first n pairs, as a new array; n must be a whole number of at least 1. */
export function topWords(pairs, n) {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(\`n must be a whole number of at least 1, not \${n}\`);
  }
  return pairs.slice(0, n);
}`;
}

// The first answer for the counting tests gets the tie order wrong (first
// seen instead of alphabetical): the verify fails, and the fix reply, which
// sees the failure, corrects it. This is the demo's failing verify and its fix.
const TIES_WRONG = `assert.deepEqual(countWords("b a b a c"), [["b", 2], ["a", 2], ["c", 1]]);`;
const TIES_RIGHT = `assert.deepEqual(countWords("b a b a c"), [["a", 2], ["b", 2], ["c", 1]]);`;

function countTests(ties: string): string {
  return `import { test } from "node:test";
import assert from "node:assert/strict";
import { countWords, topWords } from "../src/count.mjs";

test("counts words case-insensitively and reports them in lower case", () => {
  assert.deepEqual(countWords("The the THE"), [["the", 3]]);
});

test("ranks by count, then alphabetically among equal counts", () => {
  ${ties}
});

test("anything but letters and digits separates words", () => {
  assert.deepEqual(countWords("route 66, route 9!"), [["route", 2], ["66", 1], ["9", 1]]);
});

test("an empty text has no words", () => {
  assert.deepEqual(countWords(""), []);
});

test("topWords keeps the first n pairs and leaves its argument alone", () => {
  const pairs = [["a", 3], ["b", 2], ["c", 1]];
  assert.deepEqual(topWords(pairs, 2), [["a", 3], ["b", 2]]);
  assert.deepEqual(topWords(pairs, 10), pairs);
  assert.equal(pairs.length, 3);
});

test("topWords rejects an n that is not a whole number of at least 1", () => {
  assert.throws(() => topWords([], 0), RangeError);
  assert.throws(() => topWords([], 1.5), RangeError);
});`;
}

const CLI_MODULE = `#!/usr/bin/env node
// The wordfreq command line. main() takes its I/O as arguments, so tests can
// call it; the program runs it only when started directly.

import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { countWords, topWords } from "./count.mjs";

const USAGE = "usage: wordfreq [--top N] [file]";

export function main(argv, io) {
  let top = 10;
  let path;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--top") {
      const value = argv[++i];
      if (value === undefined || !/^\\d+$/.test(value) || Number(value) < 1) {
        io.err(USAGE);
        return 2;
      }
      top = Number(value);
    } else if (arg.startsWith("-") || path !== undefined) {
      io.err(USAGE);
      return 2;
    } else {
      path = arg;
    }
  }
  let text;
  try {
    text = path === undefined ? io.readStdin() : io.readFile(path);
  } catch {
    io.err(\`wordfreq: cannot read \${path ?? "standard input"}\`);
    return 1;
  }
  for (const [word, count] of topWords(countWords(text), top)) io.out(\`\${count} \${word}\`);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2), {
    readFile: (p) => readFileSync(p, "utf8"),
    readStdin: () => readFileSync(0, "utf8"),
    out: (line) => process.stdout.write(line + "\\n"),
    err: (line) => process.stderr.write(line + "\\n"),
  });
}`;

const CLI_TESTS = `import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../src/cli.mjs", import.meta.url));
const run = (args, input = "") => spawnSync(process.execPath, [CLI, ...args], { input, encoding: "utf8" });

test("prints the top words of standard input", () => {
  const r = run(["--top", "2"], "the cat and the hat");
  assert.equal(r.status, 0);
  assert.equal(r.stdout, "2 the\\n1 and\\n");
});

test("reads a file given as the argument", () => {
  const path = join(mkdtempSync(join(tmpdir(), "wordfreq-")), "words.txt");
  writeFileSync(path, "b a b");
  const r = run([path]);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, "2 b\\n1 a\\n");
});

test("an empty text prints nothing", () => {
  const r = run([], "");
  assert.equal(r.status, 0);
  assert.equal(r.stdout, "");
});

test("--top 0 and unknown options are usage errors", () => {
  for (const args of [["--top", "0"], ["--top"], ["--verbose"]]) {
    const r = run(args);
    assert.equal(r.status, 2, args.join(" "));
    assert.match(r.stderr, /^usage: wordfreq/);
  }
});

test("names a file it cannot read and exits 1", () => {
  const r = run(["missing.txt"]);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, "wordfreq: cannot read missing.txt\\n");
});`;

function buildReply(taskId: string, user: string, messages: readonly DemoMessage[]): PreparedReply {
  const outputs = [...user.matchAll(/^- (\S+) \(new file\)$/gm)].map((m) => m[1]!);
  const what = `task ${taskId} (${outputs.join(", ") || "no files"})`;
  // A fix attempt continues the task's conversation: the first answer is in it.
  const isFix = messages.some((m) => m.role === "assistant");
  if (outputs.length !== 1) return refuse(`${what}: the demo's tasks each write one file`);
  switch (outputs[0]) {
    case "src/count.mjs":
      return { ok: true, what, content: file("src/count.mjs", countModule(user.includes(APOSTROPHE_SETTLED))) };
    case "test/count.test.mjs":
      return isFix
        ? {
            ok: true,
            what: `${what}, fix`,
            content:
              "The spec orders equal counts alphabetically, so \"a\" comes before \"b\"; the test expected the order of first appearance.\n\n" +
              file("test/count.test.mjs", countTests(TIES_RIGHT)),
          }
        : { ok: true, what, content: file("test/count.test.mjs", countTests(TIES_WRONG)) };
    case "src/cli.mjs":
      return { ok: true, what, content: file("src/cli.mjs", CLI_MODULE) };
    case "test/cli.test.mjs":
      return { ok: true, what, content: file("test/cli.test.mjs", CLI_TESTS) };
    default:
      return refuse(what);
  }
}

// ---------------------------------------------------------------------------
// Retrospective, the ask it recommends, and the focused audit of that change

// The one recommendation the demo's build supports: T002's first tests put
// words of equal count in the order they first appear (TIES_WRONG above).
// The Example's words are out of alphabetical order on purpose ("b" before
// "a"), so first-appearance order and alphabetical order give different output.
const TIES_TASK = "T002";
const TIES_ANCHOR = "requirements/count-words";
const TIES_EXAMPLE_TITLE = "### Equal counts are listed alphabetically";
const TIES_EXAMPLE = `${TIES_EXAMPLE_TITLE}

**Input:**

${FENCE}sh
printf 'b a b a c' | wordfreq
${FENCE}

**Output:**

${FENCE}
2 a
2 b
1 c
${FENCE}`;
const TIES_CHANGE =
  "Two words of equal count, given out of alphabetical order, are listed alphabetically: `printf 'b a b a c' | wordfreq` prints `2 a`, `2 b`, `1 c`.";
const TIES_WHY = "The first tests expected words of equal count in the order of first appearance (b before a); the verify failed once until the fix put them alphabetically.";

/** Whether a person's words (or the request an audit quotes) ask for that Example: the distinctive part, not the exact sentence. */
function asksForTiesExample(words: string): boolean {
  return /equal[ -]counts?/i.test(words) && /alphabetic/i.test(words);
}

interface DigestTask {
  id: string;
  title: string;
  spec: string;
  /** Builds that needed a fix (or failed). */
  fixed: number;
}

/** The tasks of a retro digest (retro-digest.ts: `## T002 Title (spec ID)`, then `builds: … needed fixes in N of M …`). */
function digestTasks(user: string): DigestTask[] {
  const out: DigestTask[] = [];
  for (const m of user.matchAll(/^## (T\d+) (.*) \(spec (\S+)\)\n(?:refs: .*\n)?builds: \d+ · needed fixes in (\d+) of \d+/gm)) {
    out.push({ id: m[1]!, title: m[2]!, spec: m[3]!, fixed: Number(m[4]) });
  }
  return out;
}

function retroReply(user: string): PreparedReply {
  const tasks = digestTasks(user);
  if (tasks.length === 0 || tasks.some((t) => t.spec !== DEMO_SPEC_ID)) return refuse(`a retrospective of tasks other than ${DEMO_SPEC_ID}'s`);
  const ties = tasks.find((t) => t.id === TIES_TASK && t.fixed > 0);
  const list = (ids: string[]) => (ids.length <= 1 ? ids.join("") : `${ids.slice(0, -1).join(", ")} and ${ids.at(-1)!}`);
  const clean = tasks.filter((t) => t.fixed === 0).map((t) => t.id).sort();
  const otherFixed = tasks.filter((t) => t.fixed > 0 && t !== ties).map((t) => t.id).sort();
  const sentences: string[] = [];
  if (ties) {
    sentences.push(
      `Of the ${tasks.length === 1 ? "one task" : `${tasks.length} tasks`} built, ${TIES_TASK} (the ${ties.title.toLowerCase()}) needed a fix: its first tests expected words of equal count in the order they first appear, while ${DEMO_SPEC_ID} ${TIES_ANCHOR} lists equal counts alphabetically, so \`node --test test/count.test.mjs\` failed once before the fix put them in order.`,
      "The rule is there in words; an Example with exact input and output would show it where a model cannot miss it.",
    );
  } else {
    const present = tasks.some((t) => t.id === TIES_TASK);
    sentences.push(
      `Over the ${tasks.length === 1 ? "task" : `${tasks.length} tasks`} built (${list(tasks.map((t) => t.id))}), the digest does not show ${TIES_TASK} needing a fix${present ? "" : ": it is not among them"}, so it points at no spec passage that made the model fail and there is no recommendation.`,
    );
  }
  if (clean.length > 0) sentences.push(`${list(clean)} passed without a fix.`);
  if (otherFixed.length > 0) sentences.push(`${list(otherFixed)} needed fixes too; this scripted demo (not a model) has no recommendation prepared for them.`);
  const recommendations = ties ? [{ kind: "add-example", spec: DEMO_SPEC_ID, anchor: TIES_ANCHOR, tasks: [TIES_TASK], change: TIES_CHANGE, why: TIES_WHY }] : [];
  return { ok: true, what: `retrospective of ${DEMO_SPEC_ID} (${recommendations.length} recommendation${recommendations.length === 1 ? "" : "s"})`, content: JSON.stringify({ summary: sentences.join(" "), recommendations }, null, 2) };
}

/** A spec file of an ask prompt (ask-prompt.ts: `=== file: PATH ===`, then `  12| text` lines), as text. */
function promptFile(user: string, path: string): string | undefined {
  const lines = user.split("\n");
  const start = lines.indexOf(`=== file: ${path} ===`);
  if (start < 0) return undefined;
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const m = /^\s*\d+\| (.*)$/.exec(line);
    if (!m) break;
    body.push(m[1]!);
  }
  return body.join("\n") + "\n";
}

const WORDFREQ_SMD = "specs/wordfreq.smd";
const ACCEPTANCE_HEADING = "## Acceptance Criteria";

function askReply(user: string): PreparedReply {
  const words = /^The person's request \(verbatim;[^\n]*\n<<<\n([\s\S]*?)\n>>>$/m.exec(user)?.[1] ?? "";
  const what = "an ask other than the demo retrospective's recommendation (an Example where equal counts are listed alphabetically)";
  if (!asksForTiesExample(words)) return refuse(what);
  const smd = promptFile(user, WORDFREQ_SMD);
  if (smd === undefined) return refuse(`the ask for an Example of equal counts without ${WORDFREQ_SMD} in its prompt`);
  if (smd.includes(TIES_EXAMPLE_TITLE)) return refuse(`the ask for an Example of equal counts again: ${WORDFREQ_SMD} already has "${TIES_EXAMPLE_TITLE.slice(4)}"`);
  // The new Example goes last in ## Examples, i.e. just before the heading that follows it.
  if (smd.split("\n").filter((l) => l === ACCEPTANCE_HEADING).length !== 1) return refuse(`the ask for an Example of equal counts on a ${WORDFREQ_SMD} whose ## Examples is not followed by ${ACCEPTANCE_HEADING}`);
  const edit = {
    file: WORDFREQ_SMD,
    search: ACCEPTANCE_HEADING,
    replace: `${TIES_EXAMPLE}\n\n${ACCEPTANCE_HEADING}`,
    kind: "explicit",
    reason: "The request says \"Add an Example\" with two words of equal count \"listed alphabetically\"; this one gives them out of alphabetical order so the order shows.",
  };
  return { ok: true, what: "ask: the Example of equal counts", content: JSON.stringify({ questions: [], assumptions: [], edits: [edit] }, null, 2) };
}

function focusedAuditReply(user: string): PreparedReply {
  const words = /^The request \([^)]*\):\n<<<\n([\s\S]*?)\n>>>$/m.exec(user)?.[1] ?? "";
  if (!asksForTiesExample(words) || numberedLine(user, TIES_EXAMPLE_TITLE) === undefined) return refuse("a focused audit of a change other than the demo's Example of equal counts");
  // The Example agrees with count-words (count first, then alphabetically) and with the output format `<count> <word>`: nothing to report.
  return { ok: true, what: "focused audit of the Example of equal counts", content: JSON.stringify({ findings: [] }, null, 2) };
}
