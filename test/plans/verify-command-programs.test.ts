import { describe, expect, it } from "vitest";
import { segmentPrograms, splitShellCommand } from "../../plans/verify-command.js";

function programs(command: string): string[] {
  return splitShellCommand(command).flatMap((s) => segmentPrograms(s).map((w) => w.text));
}

describe("splitShellCommand and segmentPrograms", () => {
  it("finds the program of every segment of &&, ||, ;, | and subshell chains", () => {
    expect(programs("cd build && make -j2 || echo failed; (cargo test | tee log) & wait")).toEqual([
      "cd", "make", "echo", "cargo", "tee", "wait",
    ]);
  });

  it("skips environment assignments and reserved words", () => {
    expect(programs("CI=1 RUST_LOG=debug cargo test")).toEqual(["cargo"]);
    expect(programs("if test -f a.py; then python a.py; fi")).toEqual(["test", "python"]);
    expect(programs("for f in a b; do python $f; done")).toEqual(["python"]);
    expect(programs("X=1")).toEqual([]);
  });

  it("looks through wrappers such as env, timeout, nice and time", () => {
    expect(programs("env -u HOME A=1 python x.py")).toEqual(["env", "python"]);
    expect(programs("timeout -s KILL 5 ./target/debug/yep")).toEqual(["timeout", "./target/debug/yep"]);
    expect(programs("nice -n 10 time -p node a.js")).toEqual(["nice", "time", "node"]);
    expect(programs("command -v python3")).toEqual(["command"]);
  });

  it("removes quotes, keeps quoted operators inside words and marks expansions", () => {
    const [segment] = splitShellCommand(`grep "a && b" 'c; d' \\| $HOME/x "$(pwd)"`);
    expect(segment!.words.map((w) => w.text)).toEqual(["grep", "a && b", "c; d", "|", "$HOME/x", "$(pwd)"]);
    expect(segment!.words.map((w) => w.dynamic)).toEqual([false, false, false, false, true, true]);
  });

  it("separates redirections from arguments, including file descriptors", () => {
    const [segment] = splitShellCommand("python gen.py <in.txt >out.txt 2>&1 2> err.log");
    expect(segment!.words.map((w) => w.text)).toEqual(["python", "gen.py"]);
    expect(segment!.inputs.map((w) => w.text)).toEqual(["in.txt"]);
    expect(segment!.outputs.map((w) => w.text)).toEqual(["out.txt", "err.log"]);
  });

  it("ignores comments", () => {
    expect(programs("pytest -q # then lint")).toEqual(["pytest"]);
  });
});
