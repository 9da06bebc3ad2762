import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/audit/findings.js";
import { auditViewReducer, fixRows, initialAuditView, specProgressText } from "../../ui/audit/audit-view-state.js";
import { modelActivityLine } from "../../ui/model-activity.js";

const finding = (id: string): Finding => ({ id, spec: "CALC", file: "specs/calc.smd", line: 3, section: "S", issue: "i", suggestion: "s", severity: "error", status: "open", history: [] });

describe("the audit view", () => {
  it("shows per spec whether it was cached, is being audited, or how many findings are new", () => {
    let view = auditViewReducer(initialAuditView(), { type: "run-started" });
    view = auditViewReducer(view, {
      type: "audit-events",
      events: [
        { type: "audit-spec-cached", spec: "REPORT", findings: 2 },
        { type: "audit-spec-started", spec: "CALC", files: ["specs/calc.smd"], estimatedTokens: 900 },
      ],
    });
    expect(view.run.phase === "running" && view.run.specs.map(([s, p]) => `${s}: ${specProgressText(p)}`)).toEqual([
      "REPORT: unchanged, cached (2 findings)",
      "CALC: auditing specs/calc.smd…",
    ]);
    view = auditViewReducer(view, { type: "audit-events", events: [{ type: "audit-spec-finished", spec: "CALC", added: [finding("CALC-1")], kept: [], resolved: [] }] });
    expect(view.run.phase === "running" && specProgressText(view.run.specs[1]![1])).toBe("1 new finding, 0 seen before");
    view = auditViewReducer(view, { type: "run-ended", problem: undefined });
    expect(view.run.phase).toBe("finished");
  });

  it("follows the model from loading to streaming to answered", () => {
    let view = auditViewReducer(initialAuditView(), { type: "model-events", events: [{ type: "model-loading", model: "m", numCtx: 8192, keepAlive: "5m" }] });
    expect(modelActivityLine(view.model)).toBe("loading m…");
    view = auditViewReducer(view, {
      type: "model-events",
      events: [
        { type: "model-loaded", model: "m", numCtx: 8192, loadMs: 1, wallMs: 2 },
        { type: "call-started", callId: "1", caller: "audit-CALC", model: "m", estimatedPromptTokens: 900, numCtx: 8192 },
        { type: "delta", callId: "1", caller: "audit-CALC", kind: "content", text: "{" },
        { type: "delta", callId: "1", caller: "audit-CALC", kind: "content", text: "}" },
      ],
    });
    expect(modelActivityLine(view.model)).toBe("audit-CALC: m streaming · 2 pieces");
  });

  it("scrolls a proposal within its diff and shows a refused edit's search and replace", () => {
    const refused = { ok: false as const, reason: "the search text does not occur" };
    let view = auditViewReducer(initialAuditView(), { type: "fix-proposed", findingId: "CALC-1", edit: { search: "a\nb", replace: "c" }, check: refused });
    view = auditViewReducer(view, { type: "fix-scroll", by: 10, rows: 3, total: 5 });
    expect(view.fix.kind === "proposed" && view.fix.scroll).toBe(2);
    expect(fixRows(refused, { search: "a\nb", replace: "c" }).map((r) => `${r.kind}:${r.text}`)).toEqual([
      "problem:✗ does not apply as proposed: the search text does not occur",
      "note:search:",
      "removed:a",
      "removed:b",
      "note:replace with:",
      "added:c",
    ]);
    expect(auditViewReducer(view, { type: "fix-closed" }).fix).toEqual({ kind: "none" });
  });
});
