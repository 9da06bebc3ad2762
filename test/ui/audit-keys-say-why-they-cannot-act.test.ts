import { describe, expect, it } from "vitest";
import type { Finding, FindingStatus } from "../../src/audit/findings.js";
import { auditCommandWhy } from "../../ui/audit/audit-availability.js";
import type { FixReview } from "../../ui/audit/audit-view-state.js";

const finding = (status: FindingStatus): Finding => ({ id: "CALC-1", spec: "CALC", file: "specs/calc.smd", line: 3, section: "S", issue: "i", suggestion: "s", severity: "error", status, history: [] });
const edit = { search: "a", replace: "b" };
const NONE: FixReview = { kind: "none" };
const ASKING: FixReview = { kind: "asking", findingId: "CALC-1" };
const APPLIES: FixReview = { kind: "proposed", findingId: "CALC-1", edit, check: { ok: true, fix: { finding: finding("open"), file: "specs/calc.smd", edit, before: "a", after: "b", markedReplace: "b [inferred]", hunks: [] } }, scroll: 0 };
const MISSES: FixReview = { kind: "proposed", findingId: "CALC-1", edit, check: { ok: false, reason: "the search text is not in the spec" }, scroll: 0 };

describe("the audit screen's keys", () => {
  it("answer only the proposed fix while one is open, and apply only an edit that applies", () => {
    expect(auditCommandWhy("audit.apply", APPLIES, finding("open"))).toBeUndefined();
    expect(auditCommandWhy("audit.apply", MISSES, finding("open"))).toBe("the edit does not apply as proposed; e edits it");
    expect(auditCommandWhy("audit.edit", MISSES, finding("open"))).toBeUndefined();
    expect(auditCommandWhy("audit.reject", MISSES, finding("open"))).toBeUndefined();
    for (const command of ["audit.dismiss", "audit.run", "audit.fix", "audit.undo"] as const) {
      expect(auditCommandWhy(command, APPLIES, finding("open"))).toBe("a proposed fix is open: y applies, e edits, n rejects it first");
    }
    // Keys of other scopes (scrolling the diff, back) stay open.
    expect(auditCommandWhy("cursor.down", APPLIES, finding("open"))).toBeUndefined();
    expect(auditCommandWhy("back", APPLIES, undefined)).toBeUndefined();
  });

  it("say there is no fix to answer until one is proposed, even while it is being asked for", () => {
    for (const fix of [NONE, ASKING]) expect(auditCommandWhy("audit.apply", fix, finding("open"))).toBe("no fix is proposed; f asks the fixer model for one");
  });

  it("need a selected finding, in a status the key can change", () => {
    expect(auditCommandWhy("audit.dismiss", NONE, undefined)).toBe("no finding selected; R runs the audit");
    expect(auditCommandWhy("audit.run", NONE, undefined)).toBeUndefined();
    expect(auditCommandWhy("audit.fix", ASKING, finding("open"))).toBe("a fix is already being asked for");
    expect(auditCommandWhy("audit.reopen", NONE, finding("open"))).toBe("CALC-1 is open");
    expect(auditCommandWhy("audit.reopen", NONE, finding("dismissed"))).toBeUndefined();
    expect(auditCommandWhy("audit.accept", NONE, finding("fixed"))).toBe("CALC-1 is fixed; o reopens it");
    expect(auditCommandWhy("audit.dismiss", NONE, finding("accepted"))).toBe("CALC-1 is accepted; o reopens it");
    expect(auditCommandWhy("audit.dismiss", NONE, finding("open"))).toBeUndefined();
  });
});
