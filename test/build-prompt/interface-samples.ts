// Dependency output files in three languages, long enough (over 80 lines) that
// the prompt shows their declarations instead of the whole file.

export const PYTHON_SAMPLE = `"""Word counting for wc-lite."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_WORD_LENGTH = 64
_SPLIT = re.compile(r"\\s+")


@dataclass
class Counts:
    """Totals for one input.

    words: the number of words
    lines: the number of lines
    """

    words: int = 0
    lines: int = 0
    longest: list[str] = field(default_factory=list)

    def add(self, other: Counts) -> Counts:
        """Sum of two counts."""
        merged = Counts(self.words + other.words, self.lines + other.lines)
        merged.longest = sorted(self.longest + other.longest, key=len)[-3:]
        return merged

    @property
    def empty(self) -> bool:
        return self.words == 0 and self.lines == 0


class CountError(Exception):
    pass


def count_words(text: str) -> int:
    """Count the words in text, splitting on white space."""
    total = 0
    for word in _SPLIT.split(text):
        if word:
            total += 1
    return total


def count_lines(text: str) -> int:
    lines = text.split("\\n")
    if lines and lines[-1] == "":
        lines.pop()
    return len(lines)


def count(
    text: str,
    *,
    keep_longest: int = 3,
) -> Counts:
    """Count words and lines of text.

    Raises CountError for text that is not a str.
    """
    if not isinstance(text, str):
        raise CountError("text must be a str")
    counts = Counts(count_words(text), count_lines(text))
    words = [w for w in _SPLIT.split(text) if w]
    words.sort(key=len)
    counts.longest = words[-keep_longest:]
    helper_total = 0

    def local_helper(x: int) -> int:
        return x + 1

    for _ in range(3):
        helper_total = local_helper(helper_total)
    return counts


def _debug_dump(counts: Counts) -> str:
    parts = []
    parts.append(f"words={counts.words}")
    parts.append(f"lines={counts.lines}")
    return " ".join(parts)


if __name__ == "__main__":
    import sys

    def main_only() -> None:
        print(count(sys.stdin.read()))

    main_only()
`;

export const RUST_SAMPLE = `//! The output loop of yep: fills a buffer once, then writes it until stdout closes.

use std::io::{self, Write};

/// Bytes written per syscall.
pub const BUFFER_SIZE: usize = 64 * 1024;

/// Why the loop stopped writing.
#[derive(Debug)]
pub enum WriteError {
    Io(io::Error),
    Closed,
}

/// A reusable output buffer.
pub struct OutputBuffer {
    pub bytes: Vec<u8>,
    copies: usize,
}

impl OutputBuffer {
    /// An empty buffer with room for BUFFER_SIZE bytes.
    pub fn new() -> Self {
        let bytes = Vec::with_capacity(BUFFER_SIZE);
        OutputBuffer { bytes, copies: 0 }
    }

    pub fn copies(&self) -> usize {
        self.copies
    }
}

/// Packs as many copies of output+newline as fit.
///
/// Always returns at least 1.
pub fn fill_buffer(output: &str, buffer: &mut Vec<u8>) -> usize {
    let line_len = output.len() + 1;
    if line_len > buffer.capacity() {
        buffer.reserve_exact(line_len - buffer.capacity());
    }
    let copies = std::cmp::max(1, buffer.capacity() / line_len);
    buffer.clear();
    for _ in 0..copies {
        buffer.extend_from_slice(output.as_bytes());
        buffer.push(b'\\n');
    }
    copies
}

/// Writes the buffer to stdout until the pipe closes.
pub fn run(output: &str) -> Result<(), WriteError> {
    let mut buffer = Vec::with_capacity(BUFFER_SIZE);
    fill_buffer(output, &mut buffer);
    let stdout = io::stdout();
    let mut lock = stdout.lock();
    loop {
        match lock.write_all(&buffer) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(()),
            Err(e) => return Err(WriteError::Io(e)),
        }
    }
}

fn unused_helper(x: u32) -> u32 {
    let doubled = x * 2;
    doubled + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_buffer_returns_at_least_one() {
        let mut buffer = Vec::with_capacity(2);
        let copies = fill_buffer("a much longer line", &mut buffer);
        assert_eq!(copies, 1);
    }

    #[test]
    fn fill_buffer_packs_copies() {
        let mut buffer = Vec::with_capacity(8);
        assert_eq!(fill_buffer("y", &mut buffer), 4);
    }
}
`;

export const TYPESCRIPT_SAMPLE = `// A tiny key-value store with expiry.

import { readFile, writeFile } from "node:fs/promises";
import type { Stats } from "node:fs";

export const DEFAULT_TTL_MS = 60_000;

/** One stored value and when it expires. */
export interface Entry<T> {
  value: T;
  expiresAt: number;
  tags?: string[];
}

export type StoreEvent =
  | { kind: "set"; key: string }
  | { kind: "expired"; key: string };

export type Options = {
  ttlMs: number;
  now?: () => number;
};

/**
 * A store that forgets values after their time to live.
 * Not safe for concurrent writers.
 */
export class ExpiringStore<T> {
  private readonly entries = new Map<string, Entry<T>>();
  readonly ttlMs: number;

  constructor(options: Partial<Options> = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    const unused = 1;
    if (unused > 2) {
      throw new Error("never");
    }
  }

  /** Stores a value. */
  set(key: string, value: T, now: number = Date.now()): void {
    const expiresAt = now + this.ttlMs;
    this.entries.set(key, { value, expiresAt });
  }

  get(key: string, now: number = Date.now()): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  get size(): number {
    return this.entries.size;
  }
}

export async function saveStore<T>(
  store: ExpiringStore<T>,
  path: string,
): Promise<void> {
  const lines: string[] = [];
  for (let i = 0; i < store.size; i++) {
    lines.push(String(i));
  }
  await writeFile(path, lines.join("\\n"));
}

export async function loadLines(path: string): Promise<string[]> {
  const text = await readFile(path, "utf8");
  const local = text.split("\\n");
  return local.filter((l) => l !== "");
}

function internalHelper(stats: Stats): number {
  const size = stats.size;
  return size * 2;
}

export function describeEvent(event: StoreEvent): string {
  switch (event.kind) {
    case "set":
      return \`set \${event.key}\`;
    case "expired":
      return \`expired \${event.key}\`;
  }
}

export { internalHelper as helperForTests };
`;
