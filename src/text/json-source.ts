// Positions in JSON text, for diagnostics about machine files a person may
// still open (state.json): where a syntax error is, and where a key's value
// starts. JSON.parse gives the values; its messages name a position only
// sometimes ("Unexpected token '}'" has none), so a small scanner finds it.

export interface JsonPosition {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

export type JsonParse =
  | { ok: true; value: unknown; text: string }
  | { ok: false; position: JsonPosition; message: string };

/** Parses JSON; a syntax error comes back with its line and column. */
export function parseJsonSource(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text), text };
  } catch (error) {
    const offset = new JsonScanner(text).firstErrorOffset();
    // JSON.parse's message repeats the whole input in some forms; keep its first clause.
    const message = (error as Error).message.replace(/,\s*".*" is not valid JSON$/s, "").replace(/ in JSON at position \d+.*$/s, "");
    return { ok: false, position: positionAt(text, offset), message };
  }
}

/**
 * Where the value of `path` starts (object keys and array indices from the
 * top), or where the deepest existing parent's value starts. The text must be
 * valid JSON.
 */
export function locateJsonValue(text: string, path: readonly (string | number)[]): JsonPosition {
  const scanner = new JsonScanner(text);
  return positionAt(text, scanner.valueOffset(path));
}

export function positionAt(text: string, offset: number): JsonPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: Math.min(offset, text.length) - lineStart + 1 };
}

class ScanError {
  constructor(readonly offset: number) {}
}

class JsonScanner {
  private i = 0;

  constructor(private readonly text: string) {}

  firstErrorOffset(): number {
    try {
      this.i = 0;
      this.value(undefined);
      this.ws();
      if (this.i < this.text.length) throw new ScanError(this.i);
      return this.text.length;
    } catch (error) {
      if (error instanceof ScanError) return error.offset;
      throw error;
    }
  }

  valueOffset(path: readonly (string | number)[]): number {
    this.i = 0;
    this.ws();
    let best = this.i;
    try {
      this.value({ path, depth: 0, found: (offset) => (best = offset) });
    } catch (error) {
      if (!(error instanceof ScanError)) throw error;
    }
    return best;
  }

  private ws(): void {
    while (this.i < this.text.length && " \t\r\n".includes(this.text[this.i]!)) this.i++;
  }

  private value(want: Want | undefined): void {
    this.ws();
    const c = this.text[this.i];
    if (c === "{") return this.object(want);
    if (c === "[") return this.array(want);
    if (c === '"') return void this.string();
    for (const literal of ["true", "false", "null"]) {
      if (this.text.startsWith(literal, this.i)) {
        this.i += literal.length;
        return;
      }
    }
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.i, this.i + 400));
    if (!number) throw new ScanError(this.i);
    this.i += number[0].length;
  }

  private object(want: Want | undefined): void {
    this.i++;
    this.ws();
    if (this.text[this.i] === "}") return void this.i++;
    for (;;) {
      this.ws();
      if (this.text[this.i] !== '"') throw new ScanError(this.i);
      const key = this.string();
      this.ws();
      if (this.text[this.i] !== ":") throw new ScanError(this.i);
      this.i++;
      this.ws();
      this.member(want, key);
      this.ws();
      if (this.text[this.i] === ",") {
        this.i++;
        continue;
      }
      if (this.text[this.i] === "}") return void this.i++;
      throw new ScanError(this.i);
    }
  }

  private array(want: Want | undefined): void {
    this.i++;
    this.ws();
    if (this.text[this.i] === "]") return void this.i++;
    for (let index = 0; ; index++) {
      this.ws();
      this.member(want, index);
      this.ws();
      if (this.text[this.i] === ",") {
        this.i++;
        continue;
      }
      if (this.text[this.i] === "]") return void this.i++;
      throw new ScanError(this.i);
    }
  }

  /** A member's value: followed into when it is the next step of the wanted path. */
  private member(want: Want | undefined, key: string | number): void {
    const next = want && want.depth < want.path.length && want.path[want.depth] === key ? { ...want, depth: want.depth + 1 } : undefined;
    if (next) next.found(this.i);
    this.value(next);
  }

  private string(): string {
    const start = this.i;
    this.i++;
    while (this.i < this.text.length) {
      const c = this.text[this.i]!;
      if (c === "\\") this.i += 2;
      else if (c === '"') {
        this.i++;
        try {
          return JSON.parse(this.text.slice(start, this.i)) as string;
        } catch {
          throw new ScanError(start);
        }
      } else if (c.charCodeAt(0) < 0x20) throw new ScanError(this.i);
      else this.i++;
    }
    throw new ScanError(this.text.length);
  }
}

interface Want {
  path: readonly (string | number)[];
  depth: number;
  found(offset: number): void;
}
