import { describe, expect, it } from "vitest";
import { componentsOf, type ComponentNode } from "../../grammar/index.js";
import { estimateMessagesTokens } from "../../models/context-budget.js";
import { assembleTaskPrompt, projectBrief, type TaskPrompt } from "../../src/build/task-prompt.js";
import { planFromArchitecture } from "../../src/planning/from-architecture.js";
import { ossatureYep } from "./fixtures.js";

// What T001 (OutputLoop) would have written: the AMD's interface, implemented.
const OUTPUT_RS = `use std::io::{self, Write};

const BUFFER_SIZE: usize = 64 * 1024;

pub enum WriteError {
    Io(io::Error),
}

pub fn fill_buffer(output: &str, buffer: &mut Vec<u8>) -> usize {
    let line = output.len() + 1;
    if line > buffer.capacity() {
        buffer.reserve_exact(line);
    }
    let copies = std::cmp::max(1, buffer.capacity() / line);
    buffer.clear();
    for _ in 0..copies {
        buffer.extend_from_slice(output.as_bytes());
        buffer.push(b'\\n');
    }
    copies
}

pub fn run(output: &str) -> Result<(), WriteError> {
    let mut buffer = Vec::with_capacity(BUFFER_SIZE);
    fill_buffer(output, &mut buffer);
    let mut stdout = io::stdout().lock();
    loop {
        if let Err(e) = stdout.write_all(&buffer) {
            if e.kind() == io::ErrorKind::BrokenPipe {
                return Ok(());
            }
            return Err(WriteError::Io(e));
        }
    }
}
`;

const spec = ossatureYep();
const tasks = planFromArchitecture([spec]).tasks;
const components = spec.amds.flatMap((a) => componentsOf(a.ast));

function component(name: string): ComponentNode {
  const found = components.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no component ${name}`);
  return found;
}

function contracts(name: string): string[] {
  const c = component(name).contracts;
  return c?.kind === "list" ? c.items.map((b) => b.text) : [];
}

function promptFor(title: string): TaskPrompt {
  const t = tasks.find((x) => x.title === title);
  if (t === undefined) throw new Error(`no task ${title}`);
  return assembleTaskPrompt({
    task: t,
    spec,
    brief: projectBrief(spec, { name: "yep", language: "rust", outputDir: "output" }),
    dependencies: t.dependsOn.map((id) => ({ id, title: "OutputLoop", files: [{ path: "src/output.rs", content: OUTPUT_RS }] })),
    context: [],
    edits: [],
  });
}

/** The estimated sizes reported in the closing note, measured with the model layer's estimator. */
function ossaturePromptTokens(): Record<string, number> {
  return { OutputLoop: estimateMessagesTokens(promptFor("OutputLoop").messages), Main: estimateMessagesTokens(promptFor("Main").messages) };
}

describe("the Ossature yep fixture's tasks", () => {
  it("plan as OutputLoop, then Main depending on it", () => {
    expect(tasks.map((t) => [t.id, t.title, t.dependsOn])).toEqual([
      ["T001", "OutputLoop", []],
      ["T002", "Main", ["T001"]],
    ]);
    expect(contracts("OutputLoop")).toHaveLength(5);
    expect(contracts("Main")).toHaveLength(7);
  });

  it("give OutputLoop's prompt its own contracts and none of Main's", () => {
    const user = promptFor("OutputLoop").messages[1]?.content ?? "";
    for (const contract of contracts("OutputLoop")) expect(user).toContain(`- ${contract}`);
    for (const contract of contracts("Main")) expect(user).not.toContain(contract);
    expect(user).toContain("fn fill_buffer(output: &str, buffer: &mut Vec<u8>) -> usize");
    expect(user).not.toContain("fn parse_args()");
    // The data model its interface names, from the AMD's Data Models.
    expect(user).toContain("### WriteError");
    expect(user).not.toContain("### ArgError");
  });

  it("give Main's prompt its contracts, its requirement and OutputLoop's file as written", () => {
    const prompt = promptFor("Main");
    const user = prompt.messages[1]?.content ?? "";
    for (const contract of contracts("Main")) expect(user).toContain(`- ${contract}`);
    for (const contract of contracts("OutputLoop")) expect(user).not.toContain(contract);
    expect(user).toContain("### Output Repeated String");
    expect(user).toContain("### ArgError");
    expect(user).toContain("### src/output.rs (whole file, 35 lines)");
    expect(user).toContain("pub fn run(output: &str) -> Result<(), WriteError> {");
    expect(prompt.expectedFiles).toEqual(["src/main.rs"]);
  });

  it("fit comfortably in the smallest context specwright asks for", () => {
    const sizes = ossaturePromptTokens();
    expect(sizes.OutputLoop).toBeGreaterThan(500);
    expect(sizes.Main).toBeGreaterThan(sizes.OutputLoop as number);
    expect(sizes.Main).toBeLessThan(4096);
  });
});
