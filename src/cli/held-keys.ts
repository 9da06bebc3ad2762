// Keys typed while the demo's first steps print, before the TUI is up. A
// terminal in its normal (cooked) mode echoes them into that output, raw. While
// held, the terminal is in raw mode (no echo) and what arrives is read and
// dropped: the TUI has not said yet what its keys do, so a key pressed "to see
// whether it is alive" must not act on a screen nobody has seen. From
// handOver() on nothing is read any more but raw mode stays, so what is typed
// after the demo's "Opening the terminal UI…: 3 then R audits…" line waits,
// unechoed, for the TUI (which keeps keys typed while it loads). Ctrl-C does
// what the terminal itself does in cooked mode: the terminal is given back
// first, then SIGINT goes to the whole foreground process group (the running
// step stops, then the demo after it).

export interface HeldKeys {
  /** Stops reading; raw mode stays, so keys typed from now on wait unechoed for the next reader (the TUI). */
  handOver(): void;
  /** Puts the terminal back as it was (echo on). Safe to call more than once; also runs on process exit. */
  release(): void;
}

const CTRL_C = 0x03;

export function holdKeys(stdin: NodeJS.ReadStream = process.stdin): HeldKeys {
  if (!stdin.isTTY) return { handOver() {}, release() {} };
  const wasRaw = stdin.isRaw;
  let reading = true;
  let released = false;
  const onData = (chunk: Buffer | string) => {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    if (!bytes.includes(CTRL_C)) return;
    release();
    // Process group 0 is this process's own group: the terminal's foreground job, as Ctrl-C reaches it.
    process.kill(0, "SIGINT");
  };
  const stopReading = () => {
    if (!reading) return;
    reading = false;
    stdin.off("data", onData);
    stdin.pause();
  };
  const release = () => {
    if (released) return;
    released = true;
    stopReading();
    process.off("exit", release);
    try {
      stdin.setRawMode(wasRaw);
    } catch {
      // The terminal is gone (closed window): nothing to restore.
    }
  };
  stdin.setRawMode(true);
  stdin.on("data", onData);
  stdin.resume();
  process.on("exit", release);
  return { handOver: stopReading, release };
}
