// The default syntax check per source file type: fast, needs no build setup,
// and fails on a file that does not parse. Used by `plan --from-architecture`
// and offered to the planner as guidance. Test runners are the planner's job.

import { extname } from "node:path";

const SYNTAX_CHECKS: Record<string, (file: string) => string> = {
  ".py": (f) => `python3 -m py_compile ${f}`,
  ".rs": (f) => `rustfmt --edition 2021 --emit stdout ${f} > /dev/null`,
  ".js": (f) => `node --check ${f}`,
  ".mjs": (f) => `node --check ${f}`,
  ".cjs": (f) => `node --check ${f}`,
  ".ts": (f) => `tsc --noEmit --skipLibCheck --target es2022 --module nodenext ${f}`,
  ".go": (f) => `gofmt -e -l ${f} > /dev/null`,
  ".c": (f) => `cc -fsyntax-only ${f}`,
  ".h": (f) => `cc -fsyntax-only ${f}`,
  ".cc": (f) => `c++ -fsyntax-only ${f}`,
  ".cpp": (f) => `c++ -fsyntax-only ${f}`,
  ".sh": (f) => `sh -n ${f}`,
  ".rb": (f) => `ruby -c ${f} > /dev/null`,
  ".json": (f) => `python3 -m json.tool ${f} > /dev/null`,
};

/** Quotes a path for sh when it needs it. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The syntax check for a file, or undefined when its type has none. */
export function syntaxCheckFor(file: string): string | undefined {
  const check = SYNTAX_CHECKS[extname(file).toLowerCase()];
  return check?.(shellQuote(file));
}

/**
 * A test file by the conventions of its language's runners: test_x.py and
 * x_test.py (pytest, unittest discovery), x.test.js / x.spec.ts (node --test,
 * vitest, jest), x_test.go (go test), x_spec.rb, or any file under a tests/,
 * test/, __tests__/ or spec/ folder.
 */
export function isTestFile(path: string): boolean {
  const name = path.split("/").pop() ?? path;
  if (/^test_.+\.py$|_test\.(py|go)$|\.(test|spec)\.[cm]?[jt]sx?$|_spec\.rb$|_test\.rb$/i.test(name)) return true;
  return /(^|\/)(tests?|__tests__|spec)\//.test(path) && SYNTAX_CHECKS[extname(name).toLowerCase()] !== undefined;
}

/**
 * The command that runs one test file, or undefined when its type has no
 * runner that needs no project setup. The framework ([output] framework)
 * picks pytest over unittest, vitest or jest over node --test.
 */
export function testRunnerFor(file: string, framework: string): string | undefined {
  const f = shellQuote(file);
  const fw = framework.toLowerCase();
  switch (extname(file).toLowerCase()) {
    case ".py":
      return fw.includes("pytest") ? `python3 -m pytest -q ${f}` : `python3 -m unittest ${f}`;
    case ".js":
    case ".mjs":
    case ".cjs":
      return fw.includes("vitest") ? `npx vitest run ${f}` : fw.includes("jest") ? `npx jest ${f}` : `node --test ${f}`;
    case ".ts":
      return fw.includes("vitest") ? `npx vitest run ${f}` : fw.includes("jest") ? `npx jest ${f}` : undefined;
    case ".go": {
      const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : ".";
      return `go test ./${dir === "." ? "" : shellQuote(dir)}`.replace(/\/$/, "/.");
    }
    case ".rb":
      return `ruby ${f}`;
    case ".sh":
      return `sh ${f}`;
    default:
      return undefined;
  }
}

/** Guidance for the planner's verify commands, per target language. */
export function verifyGuidance(language: string): string {
  const lang = language.toLowerCase();
  const lines = [
    "Verify commands run with `sh -c` in the output directory, in order, and stop at the first failure.",
    "Every task gets at least one verify command. A source file gets a syntax check of that file; a test file gets the test runner on that file.",
    "A verify command may only use files that the task or the tasks it depends on produce. Never run a build of the whole project before every source file it needs exists.",
  ];
  const specific: Record<string, string[]> = {
    python: ["Python: `python3 -m py_compile <file>` for a module; `python3 -m pytest -q <test file>` for tests (tests depend on the modules they import)."],
    rust: [
      "Rust: `rustfmt --edition 2021 --emit stdout <file> > /dev/null` checks one file's syntax; `cargo build --quiet` or `cargo test --quiet` only in a task that depends on every task producing Cargo.toml and the sources.",
    ],
    typescript: ["TypeScript: `tsc --noEmit --skipLibCheck <file>` for a file; the test runner on a test file."],
    javascript: ["JavaScript: `node --check <file>` for a file; `node --test <test file>` for tests."],
    go: ["Go: `gofmt -e -l <file> > /dev/null` for a file; `go test ./...` only in a task that depends on go.mod and every package."],
    c: ["C: `cc -fsyntax-only <file>` for a file; build and run tests only in a task that depends on all sources."],
  };
  return [...lines, ...(specific[lang] ?? [])].join("\n");
}
