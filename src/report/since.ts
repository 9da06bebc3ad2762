// `--since`: a date (2026-11-20, read as UTC midnight), a date and time, or
// an age counted back from now (7d, 12h, 30m).

export function parseSince(text: string, now: Date): Date | undefined {
  const age = /^(\d+)\s*(d|h|m)$/.exec(text.trim());
  if (age) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[age[2] as "d" | "h" | "m"];
    return new Date(now.getTime() - Number(age[1]) * unit);
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

export function describeReportSince(since: Date): string {
  return since.toISOString().replace(/\.\d{3}Z$/, "Z");
}
