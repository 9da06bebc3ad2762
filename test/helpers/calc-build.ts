// A small multi-file Python project for build tests: three tasks with real
// verify commands (py_compile and unittest), and scripted model replies
// routed by the task the prompt is for.

import { cp } from "node:fs/promises";
import { startFakeOllama, type RecordedRequest, type ReplyScript } from "../fake-ollama/server.js";
import { runCli, tempDir } from "./cli.js";
import { CALC_AMD, CALC_SMD, writeProject } from "./spec-project.js";

export const CALC_PLAN = `version = 1

[[task]]
id = "T001"
spec = "CALC"
title = "Arithmetic"
outputs = ["calc/arith.py"]
depends_on = []
refs = ["requirements/add", "requirements/divide", "components/Arith"]
verify = ["python3 -m py_compile calc/arith.py"]
status = "auto"

[[task]]
id = "T002"
spec = "CALC"
title = "Arithmetic tests"
outputs = ["tests/test_arith.py"]
depends_on = ["T001"]
refs = ["requirements/add"]
verify = ["python3 -m unittest tests/test_arith.py"]
status = "auto"

[[task]]
id = "T003"
spec = "CALC"
title = "CLI"
outputs = ["calc/cli.py"]
depends_on = ["T001"]
refs = ["components/Cli"]
verify = ["python3 -m py_compile calc/cli.py"]
status = "auto"
`;

const fence = "```";
export const file = (path: string, body: string) => `${path}\n${fence}python\n${body.trimEnd()}\n${fence}\n`;

export const ARITH = file(
  "calc/arith.py",
  `def add(a: int, b: int) -> int:
    if not isinstance(a, int) or not isinstance(b, int):
        raise TypeError("add takes integers")
    return a + b


def divide(a: int, b: int) -> float:
    return a / b`,
);
export const ARITH_V2 = ARITH.replace("return a / b", "return float(a) / b");
export const TEST_WRONG = file(
  "tests/test_arith.py",
  `import unittest
from calc.arith import add


class AddTest(unittest.TestCase):
    def test_add(self):
        self.assertEqual(add(2, 2), 5)


if __name__ == "__main__":
    unittest.main()`,
);
export const TEST_RIGHT = TEST_WRONG.replace("add(2, 2), 5", "add(2, 2), 4");
export const CLI = file(
  "calc/cli.py",
  `import sys
from calc.arith import add


def main(argv):
    print(add(int(argv[0]), int(argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))`,
);

export const BUILD_TOML = `[project]
name = "calc"

[output]
dir = "output"
language = "python"

[model]
default = "qwen2.5-coder:14b"

[build]
max_fix_attempts = 2
verify_timeout = "20s"
`;

export async function writeCalcProject(dir: string, extraToml = ""): Promise<void> {
  await writeProject(dir, {
    "specwright.toml": BUILD_TOML + extraToml,
    "specs/calc.smd": CALC_SMD,
    "specs/calc.amd": CALC_AMD,
    ".specwright/plan.toml": CALC_PLAN,
  });
}

/** Which task a chat request is for: the prompt's "# Task T00N:" heading. */
export function taskOf(request: RecordedRequest): string | undefined {
  for (const m of request.messages ?? []) {
    const match = /^# Task (T\d+):/m.exec(m.content);
    if (match) return match[1];
  }
  return undefined;
}

/** Replies per task, consumed in order; a task with no replies left gets its last one again. */
export function routedReplies(replies: Record<string, (string | ReplyScript)[]>): (request: RecordedRequest) => ReplyScript {
  const used: Record<string, number> = {};
  return (request) => {
    const id = taskOf(request) ?? "?";
    const list = replies[id] ?? [];
    const n = used[id] ?? 0;
    used[id] = n + 1;
    const reply = list[Math.min(n, list.length - 1)];
    if (reply === undefined) return { content: `no scripted reply for ${id}` };
    return typeof reply === "string" ? { content: reply } : reply;
  };
}

/**
 * The calc project after a clean first build (T001–T003 done, one commit each in
 * output/), built on first use and copied for every test that starts from there:
 * the build spawns node, python3 three times and git, a copy only writes files.
 * One per test file (call it at the top level, `cleanup` in afterAll). Only the
 * first run's verify.log names the folder it ran in; state, plan and git hold
 * relative paths and hashes, so a copy is the same project.
 */
export function builtCalcProject(): { copyTo(dir: string): Promise<void>; cleanup(): Promise<void> } {
  let template: Promise<{ dir: string; cleanup: () => Promise<void> }> | undefined;
  const build = async () => {
    const made = await tempDir("specwright-built-calc-");
    await writeCalcProject(made.dir);
    const fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }) });
    try {
      const r = await runCli(["build"], { cwd: made.dir, env: { OLLAMA_HOST: fake.url } });
      if (r.exitCode !== 0) throw new Error(`the calc project's first build failed (exit ${r.exitCode}):\n${r.stderr}`);
    } finally {
      await fake.close();
    }
    return made;
  };
  return {
    async copyTo(dir) {
      template ??= build();
      await cp((await template).dir, dir, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    },
    async cleanup() {
      if (template) await (await template).cleanup();
    },
  };
}
