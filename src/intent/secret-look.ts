// Does a pasted text look like it holds a secret? The log keeps the words as
// typed (it is the person's own file, committed with the project), so `ask`
// warns before it is too late to rewrite history; traces redact as always.

import { secretsFromEnv } from "../traces/redact.js";

const SHAPES: readonly { name: string; pattern: RegExp }[] = [
  { name: "a private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { name: "an AWS access key id", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: "a GitHub token", pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b/ },
  { name: "an API key (sk-…)", pattern: /\bsk-[A-Za-z0-9_-]{20,}\b/ },
  { name: "a Slack token", pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/ },
  { name: "a JSON web token", pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  { name: "a password assignment", pattern: /\b(?:password|passwd|secret|api[_-]?key|token)\s*[:=]\s*["']?[^\s"']{8,}/i },
];

/** What in `text` looks like a secret (names, not the values), empty when nothing does. */
export function secretLookalikes(text: string, env: NodeJS.ProcessEnv): string[] {
  const found = SHAPES.filter((s) => s.pattern.test(text)).map((s) => s.name);
  for (const secret of secretsFromEnv(env)) if (text.includes(secret.value)) found.push(`the value of $${secret.name}`);
  return [...new Set(found)];
}
