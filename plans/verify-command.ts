// Reads a verify command the way `sh -c` would, far enough to answer two
// questions without running it: which programs does it start, and which
// words could be files. It is a tokenizer for the POSIX shell's quoting and
// operators, not an interpreter: expansions ($VAR, $(…), `…`) are marked
// dynamic and never guessed at.

/** One shell word after quote removal. */
export interface ShellWord {
  /** The word with quotes removed; expansions are kept as written. */
  text: string;
  /** Holds an unquoted or double-quoted expansion ($x, ${x}, $(…), `…`): its value is unknown until run time. */
  dynamic: boolean;
  /** Holds an unquoted glob character (* ? [). */
  glob: boolean;
  /** Some part was quoted. */
  quoted: boolean;
}

/** One simple command between `&&`, `||`, `;`, `|`, `&`, parentheses or line breaks. */
export interface ShellSegment {
  /** Words of the command, redirections removed (assignments and the program included). */
  words: ShellWord[];
  /** Files read through `<`. */
  inputs: ShellWord[];
  /** Files written through `>`, `>>`, `&>`, `>|`. */
  outputs: ShellWord[];
}

/** Splits a command line into its simple commands. */
export function splitShellCommand(command: string): ShellSegment[] {
  const segments: ShellSegment[] = [];
  let segment: ShellSegment = { words: [], inputs: [], outputs: [] };
  let pendingRedirect: "input" | "output" | "ignore" | undefined;
  const flush = () => {
    if (segment.words.length > 0 || segment.inputs.length > 0 || segment.outputs.length > 0) segments.push(segment);
    segment = { words: [], inputs: [], outputs: [] };
    pendingRedirect = undefined;
  };
  for (const token of tokenize(command)) {
    if (token.type === "operator") {
      flush();
    } else if (token.type === "redirect") {
      pendingRedirect = redirectKind(token.operator);
    } else if (pendingRedirect !== undefined) {
      if (pendingRedirect === "input") segment.inputs.push(token.word);
      else if (pendingRedirect === "output") segment.outputs.push(token.word);
      pendingRedirect = undefined;
    } else {
      segment.words.push(token.word);
    }
  }
  flush();
  return segments;
}

function redirectKind(operator: string): "input" | "output" | "ignore" {
  // `<<` and `<<-` take a here-document delimiter, `<<<` a string, `<&`/`>&` a file descriptor.
  if (operator === "<" || operator === "<>") return "input";
  if (operator === ">" || operator === ">>" || operator === ">|" || operator === "&>" || operator === "&>>") return "output";
  return "ignore";
}

type Token = { type: "word"; word: ShellWord } | { type: "operator"; operator: string } | { type: "redirect"; operator: string };

const OPERATORS = ["&&", "||", ";;", "|&", ";", "|", "&", "(", ")", "\n"];
const REDIRECTS = ["<<<", "<<-", "&>>", "<<", ">>", ">|", ">&", "<&", "<>", "&>", "<", ">"];

function tokenize(command: string): Token[] {
  const tokens: Token[] = [];
  let word: ShellWord | undefined;
  let i = 0;
  const current = (): ShellWord => (word ??= { text: "", dynamic: false, glob: false, quoted: false });
  const endWord = () => {
    if (word) tokens.push({ type: "word", word });
    word = undefined;
  };
  while (i < command.length) {
    const c = command[i]!;
    if (c === " " || c === "\t" || c === "\r") {
      endWord();
      i++;
    } else if (c === "#" && word === undefined) {
      while (i < command.length && command[i] !== "\n") i++;
    } else if (c === "'") {
      const close = command.indexOf("'", i + 1);
      const end = close < 0 ? command.length : close;
      const w = current();
      w.text += command.slice(i + 1, end);
      w.quoted = true;
      i = end + 1;
    } else if (c === '"') {
      const w = current();
      w.quoted = true;
      i++;
      while (i < command.length && command[i] !== '"') {
        const d = command[i]!;
        if (d === "\\" && i + 1 < command.length && '$`"\\\n'.includes(command[i + 1]!)) {
          w.text += command[i + 1];
          i += 2;
        } else if (d === "$" || d === "`") {
          i = readExpansion(command, i, w);
        } else {
          w.text += d;
          i++;
        }
      }
      i++;
    } else if (c === "\\") {
      // A backslash-newline joins lines; any other escaped character is literal.
      if (command[i + 1] !== "\n") current().text += command[i + 1] ?? "";
      i += 2;
    } else if (c === "$" || c === "`") {
      i = readExpansion(command, i, current());
    } else {
      const redirect = REDIRECTS.find((op) => command.startsWith(op, i));
      const operator = OPERATORS.find((op) => command.startsWith(op, i));
      if (redirect !== undefined) {
        // `2>` and `2>&1`: an unquoted all-digit word right before is a file descriptor, not an argument.
        if (word && !word.quoted && /^\d+$/.test(word.text)) word = undefined;
        endWord();
        tokens.push({ type: "redirect", operator: redirect });
        i += redirect.length;
      } else if (operator !== undefined) {
        endWord();
        tokens.push({ type: "operator", operator });
        i += operator.length;
      } else {
        const w = current();
        if (c === "*" || c === "?" || c === "[") w.glob = true;
        w.text += c;
        i++;
      }
    }
  }
  endWord();
  return tokens;
}

/** Appends `$name`, `${…}`, `$(…)` or `` `…` `` starting at `i` to the word; returns the index after it. */
function readExpansion(command: string, i: number, word: ShellWord): number {
  const start = i;
  if (command[i] === "`") {
    i++;
    while (i < command.length && command[i] !== "`") i += command[i] === "\\" ? 2 : 1;
    i++;
  } else if (command[i + 1] === "(" || command[i + 1] === "{") {
    const open = command[i + 1]!;
    const close = open === "(" ? ")" : "}";
    let depth = 0;
    i++;
    while (i < command.length) {
      if (command[i] === open) depth++;
      else if (command[i] === close && --depth === 0) {
        i++;
        break;
      }
      i++;
    }
  } else if (/[A-Za-z_]/.test(command[i + 1] ?? "")) {
    i++;
    while (i < command.length && /[A-Za-z0-9_]/.test(command[i]!)) i++;
  } else if (/[0-9@*#?$!-]/.test(command[i + 1] ?? "")) {
    i += 2;
  } else {
    // A lone `$` is a literal dollar sign.
    word.text += "$";
    return i + 1;
  }
  word.text += command.slice(start, Math.min(i, command.length));
  word.dynamic = true;
  return i;
}

/** Commands the shell runs itself; they need not be on PATH. */
export const SHELL_BUILTINS: ReadonlySet<string> = new Set([
  ".", ":", "[", "[[", "alias", "bg", "break", "cd", "command", "continue", "echo", "eval", "exec", "exit",
  "export", "false", "fc", "fg", "getopts", "hash", "jobs", "kill", "let", "local", "printf", "pwd", "read",
  "readonly", "return", "set", "shift", "source", "test", "time", "times", "trap", "true", "type", "ulimit",
  "umask", "unalias", "unset", "wait",
]);

/** Words that open or close compound commands; the command proper follows them. */
const RESERVED_PREFIXES = new Set(["!", "{", "}", "if", "then", "else", "elif", "do", "while", "until", "fi", "done", "esac"]);
/** Compound commands whose words are not a command (`for x in a b`, `case $x in`). */
const RESERVED_SKIP = new Set(["for", "case", "select", "function"]);

/**
 * The programs a simple command starts: its command word after assignments
 * (`A=1 cmd`) and reserved words (`if cmd`), and for wrappers such as `env`,
 * `timeout 5`, `nice -n 2` or `time`, both the wrapper and what it wraps.
 * Empty for a segment that starts no program (`for …`, `command -v x`, only assignments).
 */
export function segmentPrograms(segment: ShellSegment): ShellWord[] {
  const words = segment.words;
  let i = 0;
  const programs: ShellWord[] = [];
  for (;;) {
    while (i < words.length && isAssignment(words[i]!)) i++;
    const word = words[i];
    if (!word) return programs;
    if (!word.quoted && RESERVED_SKIP.has(word.text)) return programs;
    if (!word.quoted && RESERVED_PREFIXES.has(word.text)) {
      i++;
      continue;
    }
    programs.push(word);
    const next = skipWrapperArguments(word.text, words, i + 1);
    if (next === undefined) return programs;
    i = next;
  }
}

/** For a wrapper at `words[i-1]`, the index of the program it runs; undefined when it is not a wrapper. */
function skipWrapperArguments(wrapper: string, words: readonly ShellWord[], i: number): number | undefined {
  const optionWithValue: Record<string, readonly string[]> = {
    env: ["-u", "-C", "-S", "--unset", "--chdir"],
    nice: ["-n", "--adjustment"],
    timeout: ["-s", "-k", "--signal", "--kill-after"],
    stdbuf: ["-i", "-o", "-e"],
    exec: ["-a"],
  };
  switch (wrapper) {
    case "env":
    case "nice":
    case "nohup":
    case "time":
    case "exec":
    case "stdbuf":
    case "timeout":
    case "command":
    case "builtin": {
      const takesValue = optionWithValue[wrapper] ?? [];
      while (i < words.length) {
        const w = words[i]!.text;
        if (w === "--") {
          i++;
          break;
        }
        // `command -v x` asks whether x exists; it runs nothing.
        if ((wrapper === "command" || wrapper === "builtin") && (w === "-v" || w === "-V")) return words.length;
        if (w.startsWith("-") && w.length > 1) {
          i += takesValue.includes(w) ? 2 : 1;
        } else if (wrapper === "env" && isAssignment(words[i]!)) {
          i++;
        } else {
          break;
        }
      }
      if (wrapper === "timeout") i++; // the duration
      return i;
    }
    default:
      return undefined;
  }
}

function isAssignment(word: ShellWord): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*=/.test(word.text);
}
