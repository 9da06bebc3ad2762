// Sample projects for end-to-end tests: written into a temp dir, run with the
// built CLI against the fake Ollama server.

import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

export const CALC_SMD = `---
id: CALC
status: draft
depends: []
---

# Calc

## Overview

A small calculator library.

## Requirements

### Add numbers {#add}

Add two integers.

**Accepts:** Two integers a and b.

**Returns:** Their sum.

**Errors:**

- A non-integer argument -> raise TypeError

### Divide numbers {#divide}

Divide a by b.

**Accepts:** Two integers a and b.

**Returns:** The quotient as a float.

## Constraints

- Standard library only
`;

export const CALC_AMD = `---
spec: CALC
---

# Architecture: Calc

## Components

### Arith

@path: calc/arith.py

The arithmetic functions.

**Interface:**

\`\`\`python
def add(a: int, b: int) -> int
def divide(a: int, b: int) -> float
\`\`\`

**Contracts:**

- add raises TypeError for non-integers

**Depends on:** None

### Cli

@path: calc/cli.py

Command-line entry point.

**Depends on:** Arith
`;

export const REPORT_SMD = `---
id: REPORT
depends: [CALC]
---

# Report

## Requirements

### Print a total {#total}

Print the sum of the numbers given on the command line.

**Returns:** One line with the total.
`;

export async function writeProject(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
}

export const PROJECT_TOML = `[project]
name = "calc"

[output]
language = "python"

[model]
default = "qwen2.5-coder:14b"
`;

/** A finding as the auditor model would answer it. */
export function findingsReply(findings: { severity: string; file: string; line: number; section?: string; issue: string; suggestion?: string }[]): { content: string } {
  return {
    content: JSON.stringify({
      findings: findings.map((f) => ({ section: "Requirements", suggestion: "", ...f })),
    }),
  };
}
