// Text written by `init` and `new`. Each template validates as written (a
// test parses every one), so a new user's first `validate` is clean.

import { DEFAULT_MODEL } from "../config/default-model.js";

/** "word-count" → "WORD_COUNT": spec ids are upper-case identifiers. */
export function specIdFor(name: string): string {
  return name
    .replace(/\.(smd|amd|vmd)$/i, "")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toUpperCase();
}

/** "word-count" → "Word count". */
export function titleFor(name: string): string {
  const words = name.replace(/\.(smd|amd|vmd)$/i, "").replace(/[-_]+/g, " ").trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const FENCE = "```";

export function projectToml(name: string): string {
  return `# specwright project configuration — \`specwright config\` shows the effective values.

[project]
name = ${JSON.stringify(name)}
spec_dir = "specs"
context_dir = "context"

[output]
dir = "output"
language = "python"

[model]
# host = "http://127.0.0.1:11434"   # OLLAMA_HOST overrides
default = ${JSON.stringify(DEFAULT_MODEL)}
# planner = "qwen2.5-coder:32b"     # per-role overrides: audit, planner, build, fixer, reviewer, drafter
num_ctx = "auto"
keep_alive = "30m"
temperature = 0.2

[build]
max_fix_attempts = 3
verify_timeout = "120s"
parallel = 1
git = true
setup = []

[audit]
max_fix_cycles = 3
`;
}

export const GITIGNORE_ENTRIES = [".specwright/runs/", ".specwright/lock", ".specwright/compare/"];

export function exampleSmd(): string {
  return `---
id: GREETER
status: draft
priority: medium
depends: []
---

# Greeter

## Overview

A command-line program that greets a person by name.

## Goals

- Print a friendly greeting for the name it is given

## Non-Goals

- Translations into other languages

## Requirements

### Greet by name {#greet}

Print a greeting for the name given as the only argument.

**Accepts:** One optional argument, the name to greet. Without it, the name is "world".

**Returns:** Prints \`Hello, <name>!\` and a newline to stdout, then exits with code 0.

**Errors:**

- More than one argument -> print a usage line to stderr and exit with code 2

## Constraints

- Standard library only

## Examples

### Default name

**Input:**

${FENCE}sh
greeter
${FENCE}

**Output:**

${FENCE}
Hello, world!
${FENCE}

## Acceptance Criteria

- \`greeter Ada\` prints \`Hello, Ada!\`
- \`greeter a b\` exits with code 2
`;
}

export function exampleAmd(): string {
  return `---
spec: GREETER
status: draft
---

# Architecture: Greeter

## Overview

One Python module with a command-line entry point.

## Components

### Cli

@path: greeter/cli.py

Parses the arguments and prints the greeting.

**Interface:**

${FENCE}python
def greeting(name: str) -> str
def main(argv: list[str]) -> int
${FENCE}

**Contracts:**

- greeting returns "Hello, " + name + "!"
- main returns 2 and writes a usage line to stderr when given more than one argument

**Depends on:** None
`;
}

export function smdTemplate(name: string): string {
  const id = specIdFor(name);
  return `---
id: ${id}
status: draft
priority: medium
depends: []
---

# ${titleFor(name)}

## Overview

What this piece of software is for, in two or three sentences.

## Goals

- The first thing it must achieve

## Non-Goals

- Something it must not do

## Requirements

### First requirement {#first-requirement}

What the software does, stated so that two developers would build the same thing.

**Accepts:** The inputs and their valid ranges.

**Returns:** What it produces on success.

**Errors:**

- An invalid input -> what happens instead

## Constraints

- A limit the implementation must respect

## Examples

### A typical case

**Input:**

${FENCE}
input here
${FENCE}

**Output:**

${FENCE}
output here
${FENCE}

## Acceptance Criteria

- An observable check that proves the requirement holds
`;
}

export function amdTemplate(name: string): string {
  const id = specIdFor(name);
  return `---
spec: ${id}
status: draft
---

# Architecture: ${titleFor(name)}

## Overview

How the code is organised, in a few sentences.

## Components

### Main

@path: src/main.py

What this component is responsible for.

**Interface:**

${FENCE}
the public functions or types of this file
${FENCE}

**Contracts:**

- A promise this component keeps

**Depends on:** None
`;
}

export function vmdTemplate(name: string): string {
  const id = specIdFor(name);
  const program = name.replace(/\.(smd|amd|vmd)$/i, "");
  return `@spec ${id}

# Verification cases for ${id}: concrete cases an implementation must pass,
# run by \`specwright check\` and after each build task (docs/spec-format.md).
#
# A function group: the signature, then one row per case, each cell one JSON
# value, the last one the expected result (or !ErrorType, or Ok):
#
# parse_duration(text)
# compact | "2h30m" | 9000
# empty   | ""      | !ValueError: empty

scenario shows its usage:
when $ ${program} --help
then exit 0
`;
}
