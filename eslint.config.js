// The house rules of DESIGN.md §2, checked by a machine rather than by review.
// `npm run lint` runs it; `npm test` runs it first, so CI does too.
//
// Layers (DESIGN.md §2):
// - grammar/ and plans/ do no I/O: they take text and return values and
//   diagnostics. No file system, processes, network or terminal, and nothing
//   from src/, ui/ or models/ (which do I/O).
// - src/, grammar/, plans/ and models/ never import ink or react; ui/ imports
//   the core, never the other way round. The CLI entry points are the one
//   exception: they open the TUI through a dynamic import of ui/run-app.
// - Product code never imports test/ or bench/ (the package ships neither).
// - ui/ writes no file itself: every write (plan edits, findings triage, spec
//   fixes) goes through the core, under the run lock, so the TUI and the CLI
//   change files the same way.
//
// Typed rules (switch-exhaustiveness-check) run on the product folders only:
// it is there so that a new event kind, task state or diagnostic code cannot
// be silently skipped by a switch in a reporter or a screen.

import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const PRODUCT = ["src", "ui", "grammar", "plans", "models"];
const TS = (dirs) => dirs.flatMap((d) => [`${d}/**/*.ts`, `${d}/**/*.tsx`]);

/** A `patterns` entry of no-restricted-imports for a top-level folder reached by a relative path from any depth. */
const folder = (name, message) => ({ regex: `^(\\.\\./)+${name}/`, message });

const UI_LIBRARIES = {
  paths: [
    { name: "ink", message: "Only ui/ imports ink (DESIGN.md §2): the core emits events, the UI renders them." },
    { name: "react", message: "Only ui/ imports react (DESIGN.md §2)." },
    { name: "react/jsx-runtime", message: "Only ui/ uses JSX (DESIGN.md §2)." },
    { name: "ink-testing-library", message: "Only tests import ink-testing-library." },
  ],
  patterns: [
    folder("ui", "ui/ imports the core, never the other way round (DESIGN.md §2)."),
    folder("test", "Product code never imports test/: the package does not ship it."),
    folder("bench", "Product code never imports bench/: the package does not ship it."),
  ],
};

const IO_MODULES = [
  "fs",
  "fs/promises",
  "child_process",
  "net",
  "http",
  "https",
  "http2",
  "dgram",
  "dns",
  "tls",
  "readline",
  "readline/promises",
  "worker_threads",
  "cluster",
  "tty",
  "os",
].flatMap((m) => [m, `node:${m}`]);
const IO_LIBRARIES = ["execa", "simple-git", "ollama"];

/** The file-system calls that change files: ui/ leaves them to the core. */
const FILE_WRITES = [
  "writeFile", "writeFileSync", "appendFile", "appendFileSync", "mkdir", "mkdirSync", "rm", "rmSync", "rmdir", "rmdirSync",
  "rename", "renameSync", "unlink", "unlinkSync", "copyFile", "copyFileSync", "cp", "cpSync", "open", "openSync",
  "createWriteStream", "truncate", "truncateSync", "symlink", "symlinkSync", "chmod", "chmodSync", "utimes", "utimesSync",
];
const UI_WRITES_NOTHING = {
  paths: ["fs", "node:fs", "fs/promises", "node:fs/promises"].map((name) => ({
    name,
    importNames: FILE_WRITES,
    message: "ui/ writes no file itself: call the core (src/), which writes under the run lock the same way for the CLI and the TUI.",
  })),
};

const PURE = {
  paths: [
    ...UI_LIBRARIES.paths,
    ...[...IO_MODULES, ...IO_LIBRARIES].map((name) => ({
      name,
      message: "grammar/ and plans/ do no I/O (DESIGN.md §2): take text, return values and diagnostics; the caller in src/ reads and writes.",
    })),
  ],
  patterns: [
    ...UI_LIBRARIES.patterns,
    folder("src", "grammar/ and plans/ import nothing from src/ (DESIGN.md §2): the core depends on them, not the other way round."),
    folder("models", "grammar/ and plans/ import nothing from models/: it talks to the network (DESIGN.md §2)."),
  ],
};

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "test/fixtures/**", "examples/**"] },
  {
    files: ["**/*.ts", "**/*.tsx"],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    plugins: { "react-hooks": reactHooks },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // tsc (strict) resolves every name, globals included; the linter's guess is worse.
      "no-undef": "off",
      // A leading underscore names what is left out on purpose: `const { key: _key, ...rest } = record`.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", caughtErrors: "none" },
      ],
      // Control characters in patterns are the point here: terminal escapes stripped from
      // verify output, control characters refused in paths and input fields.
      "no-control-regex": "off",
    },
  },
  {
    files: TS(["ui"]),
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
  {
    files: TS(PRODUCT),
    languageOptions: {
      parserOptions: { project: "./tsconfig.json", tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A switch over a union either names every member or says, with `default`, that the
      // rest is handled alike (a screen reacts to its own keys, not to all of them).
      "@typescript-eslint/switch-exhaustiveness-check": [
        "error",
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
    },
  },
  {
    files: TS(PRODUCT),
    rules: {
      // …except over events: every consumer of the engine's events (the TUI, the plain and
      // JSON-lines reporters, DESIGN.md §2) names each kind it ignores, so a new kind is a
      // lint error in every consumer until someone decides what it shows.
      "no-restricted-syntax": [
        "error",
        {
          selector: "SwitchStatement[discriminant.object.name='event'][discriminant.property.name='type'] > SwitchCase[test=null]",
          message: "No `default` in a switch over event kinds: name the kinds this consumer ignores, so switch-exhaustiveness-check flags a new one.",
        },
      ],
    },
  },
  { files: TS(["src", "models"]), rules: { "no-restricted-imports": ["error", UI_LIBRARIES] } },
  { files: TS(["ui"]), rules: { "no-restricted-imports": ["error", UI_WRITES_NOTHING] } },
  { files: TS(["grammar", "plans"]), rules: { "no-restricted-imports": ["error", PURE] } },
);
