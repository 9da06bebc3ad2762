// Deterministic, realistic spec text for the parser benchmark and the
// large-input tests: SMD+AMD pairs shaped like real specs (frontmatter,
// requirements with Errors bullets, fenced examples, components with
// interfaces and contracts), chained by `depends`.

function requirement(spec: number, n: number): string {
  return `### Handle request ${spec}-${n} {#req-${n}}

Process request number ${n} of spec ${spec}: read the input record, normalise
its fields, and write the result to the output stream in one line.

**Accepts:** a record with \`name\` (non-empty string), \`size\` (integer >= 0)
and an optional \`tags\` list.

**Returns:** the normalised record as one JSON line on stdout.

**Errors:**

- name is empty -> print "empty name" to stderr and exit with code 2
- size is negative -> print "negative size" to stderr and exit with code 2
- the output stream is closed → exit silently with code 0

**Notes:** keep the field order stable so diffs stay small.
`;
}

function example(n: number): string {
  return `### Example ${n}

**Input:**

\`\`\`sh
tool --name item${n} --size ${n * 7}
## not a heading: fenced content
\`\`\`

**Output:**

\`\`\`json
{"name": "item${n}", "size": ${n * 7}, "tags": []}
\`\`\`
`;
}

/** One SMD with `requirements` requirements; `depends` names the previous spec. */
export function generateSmd(spec: number, requirements: number): string {
  const depends = spec > 0 ? `[SPEC_${spec - 1}]` : "[]";
  const reqs = Array.from({ length: requirements }, (_, n) => requirement(spec, n)).join("\n");
  const examples = Array.from({ length: Math.max(1, Math.floor(requirements / 3)) }, (_, n) => example(n)).join("\n");
  return `---
id: SPEC_${spec}
status: draft
priority: medium
depends: ${depends}
---

# Spec ${spec}

## Overview

Spec ${spec} describes one stage of a record-processing pipeline. It reads
records, validates them and writes normalised output for the next stage.

## Goals

- Normalise every record the same way
- Fail loudly on malformed input [inferred]
- Stream: never hold more than one record in memory

## Non-Goals

- A graphical interface
- Network access

## Requirements

${reqs}
## Constraints

- Standard library only
- Exit code 0 on success, 2 on invalid input

## Examples

${examples}
## Acceptance Criteria

- Every requirement has a passing test
- Malformed input never produces partial output

## Notes

Generated for the parser benchmark.
`;
}

/** The AMD describing spec `spec`, with `components` components depending on their predecessor. */
export function generateAmd(spec: number, components: number): string {
  const parts = Array.from({ length: components }, (_, n) => `### Component${n}

@path: src/stage${spec}/component${n}.py

Component ${n} of stage ${spec}: parses, validates and writes records.

**Interface:**

\`\`\`python
def run_${n}(records: Iterable[Record]) -> Iterator[Record]: ...
def validate_${n}(record: Record) -> list[str]: ...
\`\`\`

**Contracts:**

- run_${n} yields records in input order
- validate_${n} returns an empty list for a valid record

**Depends on:** ${n > 0 ? `Component${n - 1}` : "None"}
`).join("\n");
  return `---
spec: SPEC_${spec}
status: draft
---

# Architecture: Spec ${spec}

## Overview

Stage ${spec} is a small package of ${components} modules.

## Components

${parts}
## Data Models

### Record

\`\`\`python
@dataclass
class Record:
    name: str
    size: int
\`\`\`
`;
}

/** SMD+AMD pairs until the corpus holds at least `targetBytes` characters. */
export function generateCorpus(targetBytes: number): { file: string; text: string }[] {
  const files: { file: string; text: string }[] = [];
  let size = 0;
  for (let spec = 0; size < targetBytes; spec++) {
    const smd = generateSmd(spec, 12);
    const amd = generateAmd(spec, 6);
    files.push({ file: `specs/spec-${spec}.smd`, text: smd }, { file: `specs/spec-${spec}.amd`, text: amd });
    size += smd.length + amd.length;
  }
  return files;
}

/** One SMD of at least `targetBytes` characters (thousands of requirements). */
export function generateLargeSmd(targetBytes: number): string {
  const perRequirement = requirement(0, 0).length + 1;
  return generateSmd(0, Math.ceil(targetBytes / perRequirement));
}
