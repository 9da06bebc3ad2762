// Measures the focused audit after an applied ask: (1) its prompt (estimated
// tokens, models/token-estimate.ts) for a one-line change inside the first
// requirement of each project's first spec, against what `specwright audit`
// would send — the changed spec's own audit plus the cross-spec audit (the
// re-audit after this change; unchanged specs are cached), and every call of a
// first full audit; (2) the wall time it adds to `specwright ask --accept`, as
// processes against the fake Ollama at 50 tokens a second, with `--no-audit`
// as the baseline in the same run (medians of 5), for a clean answer and for
// one finding with its edit.
//
//   npm run build && node dist/bench/ask-audit.js

import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { requirementsOf } from "../grammar/ast.js";
import { estimateMessagesTokens } from "../models/context-budget.js";
import { auditPromptSizes } from "../src/audit/run-audit.js";
import { loadConfig } from "../src/config/load.js";
import { changedParts, focusedAuditMessages } from "../src/intent/focused-audit.js";
import { numberHunks } from "../src/intent/proposal.js";
import { groupsOf } from "../src/intent/review.js";
import { loadProjectSpecs } from "../src/specs/project-specs.js";
import { startFakeOllama, type ReplyScript } from "../test/fake-ollama/server.js";

const repo = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const cli = join(repo, "dist", "src", "cli", "main.js");
const WORDS = "the default limit should be 20 and file names should ignore case";

async function promptSizes(): Promise<void> {
  const fixtures = join(repo, "test", "fixtures", "ossature");
  const projects = [join(repo, "examples", "wordfreq"), ...(await readdir(fixtures, { withFileTypes: true })).filter((d) => d.isDirectory() && d.name !== "older-plans" && d.name !== "test-inputs").map((d) => join(fixtures, d.name))];
  console.log("Prompt tokens, a one-line change in the first requirement of the first spec:");
  console.log("  project: focused audit | re-audit after the change (that spec + cross-spec) | first full audit (every call)");
  for (const dir of projects) {
    const { loaded } = await loadConfig({ cwd: dir, env: {}, flags: {} });
    const specs = await loadProjectSpecs(loaded);
    const group = specs.groups[0];
    const requirement = group ? requirementsOf(group.smd.ast)[0] : undefined;
    if (!group || !requirement) {
      console.log(`  ${dir.slice(repo.length + 1)}: no validating spec with a requirement, skipped`);
      continue;
    }
    const before = group.smd.text;
    const lines = before.split("\n");
    lines[requirement.endLine - 1] += " File names are compared ignoring case.";
    const after = lines.join("\n");
    const sources = new Map(specs.sources.map((s) => [s.file, s.text]));
    sources.set(group.smd.file, after);
    const groupsAfter = groupsOf(sources);
    const files = [{ file: group.smd.file, before, after }];
    const parts = changedParts(files, numberHunks(files), groupsAfter);
    const focused = estimateMessagesTokens(focusedAuditMessages({ id: "I-0001", words: WORDS, parts, texts: sources }));
    const sizes = auditPromptSizes(groupsAfter);
    const reaudit = (sizes.perSpec.get(group.id) ?? 0) + sizes.cross;
    const full = [...sizes.perSpec.values()].reduce((a, b) => a + b, 0) + sizes.cross;
    const shown = parts.map((p) => `${p.to - p.from + 1} lines`).join(" + ");
    const fileCount = specs.sources.length === 1 ? "the 1 spec file" : `${specs.sources.length} spec files`;
    console.log(`  ${dir.slice(repo.length + 1)}: ${focused} (${shown} of ${fileCount}) | ${reaudit} (${(focused / reaudit * 100).toFixed(0)} %) | ${full} (${(focused / full * 100).toFixed(0)} %)`);
  }
}

function run(args: string[], cwd: string, env: Record<string, string>): Promise<{ ms: number; code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, NO_COLOR: "1", XDG_CONFIG_HOME: join(cwd, ".none"), ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => done({ ms: Number(process.hrtime.bigint() - started) / 1e6, code, stdout, stderr }));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function extraWallTime(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "specwright-bench-ask-audit-"));
  try {
    await cp(join(repo, "examples", "wordfreq"), dir, { recursive: true });
    const smdPath = join(dir, "specs", "wordfreq.smd");
    const original = await readFile(smdPath, "utf8");
    const line = original.split("\n").find((l) => /\*\*Accepts:\*\*/.test(l))!;
    const added = "File names are compared ignoring case.";
    // The ask puts it two lines below the Accepts line (after a blank line).
    const addedLine = original.split("\n").indexOf(line) + 3;
    const ask: ReplyScript = { content: JSON.stringify({ questions: [], assumptions: [], edits: [{ file: "specs/wordfreq.smd", search: line, replace: `${line}\n\n${added}`, kind: "explicit", reason: "the person said: ignore case in file names" }] }) };
    const clean: ReplyScript = { content: JSON.stringify({ findings: [] }) };
    const finding: ReplyScript = {
      content: JSON.stringify({
        findings: [{ severity: "warning", file: "specs/wordfreq.smd", line: addedLine, section: "Requirements", issue: "Ignoring case in file names is ambiguous on case-sensitive file systems.", suggestion: "Say which name is shown.", search: added, replace: `${added} The name is shown as given.` }],
      }),
    };
    const fake = await startFakeOllama({ tokensPerSecond: 50 });
    try {
      const rows: [string, ReplyScript | undefined][] = [["--no-audit (baseline)", undefined], ["focused audit, no findings", clean], ["focused audit, one finding + edit", finding]];
      console.log(`\n\`specwright ask --accept\` on wordfreq, fake Ollama at 50 tok/s, medians of 5 processes:`);
      for (const [label, audit] of rows) {
        const times: number[] = [];
        for (let i = 0; i < 5; i++) {
          await writeFile(smdPath, original);
          await rm(join(dir, ".specwright", "intent.jsonl"), { force: true });
          fake.script(ask);
          const asked = await run(["ask", "ignore case in file names"], dir, { OLLAMA_HOST: fake.url });
          if (asked.code !== 0) throw new Error(`ask failed (${asked.code}): ${asked.stdout}${asked.stderr}`);
          if (audit) fake.script(audit);
          const accepted = await run(["ask", "--accept", "I-0001", ...(audit ? [] : ["--no-audit"])], dir, { OLLAMA_HOST: fake.url, SPECWRIGHT_AUDIT_AFTER_ASK: "on" });
          if (accepted.code !== 0 || (audit && !accepted.stdout.includes("Focused audit"))) throw new Error(`accept failed (${accepted.code}): ${accepted.stdout}${accepted.stderr}`);
          times.push(accepted.ms);
        }
        const replyTokens = audit ? Math.round(String(audit.content).length / 4) : 0;
        console.log(`  ${label}${audit ? ` (reply ~${replyTokens} tokens)` : ""}: ${median(times).toFixed(0)} ms (runs: ${times.map((x) => x.toFixed(0)).join(", ")})`);
      }
    } finally {
      await fake.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await promptSizes();
await extraWallTime();
