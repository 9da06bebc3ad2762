import { describe, expect, it } from "vitest";
import { INTERRUPT_WINDOW_MS, appReducer, initialAppState } from "../../ui/app-state.js";
import { KEYMAP, SCREENS, bindingsFor, footerHints, resolveKey } from "../../ui/keymap.js";
import { textInputAction, textInputReducer, textInputState } from "../../ui/widgets/text-input-state.js";

describe("the keymap table", () => {
  it("maps number keys to screens in tab order", () => {
    SCREENS.forEach((screen, i) => expect(resolveKey({ input: String(i + 1), key: {} }, "overview")).toBe(`screen.${screen}`));
  });

  it("lets a screen's binding win over a global one, and only on that screen", () => {
    // Tab switches screens, except on Traces where it moves between a call's parts.
    expect(resolveKey({ input: "", key: { tab: true } }, "traces")).toBe("traces.next-tab");
    expect(resolveKey({ input: "", key: { tab: true } }, "plan")).toBe("screen.next");
    expect(resolveKey({ input: "s", key: {} }, "plan")).toBe("plan.skip");
    expect(resolveKey({ input: "s", key: {} }, "overview")).toBeUndefined();
  });

  it("tells Ctrl-C from c and Esc from everything else", () => {
    expect(resolveKey({ input: "c", key: { ctrl: true } }, "build")).toBe("interrupt");
    expect(resolveKey({ input: "c", key: {} }, "build")).toBeUndefined();
    expect(resolveKey({ input: "", key: { escape: true } }, "build")).toBe("cancel");
  });

  it("feeds the footer and the help from the same bindings", () => {
    const footer = footerHints("plan").map((h) => h.label);
    expect(footer).toEqual(expect.arrayContaining(["s", "m", "n", "?", "q"]));
    const help = bindingsFor("plan");
    for (const hint of footerHints("plan")) expect(help.some((b) => hint.label.startsWith(b.label))).toBe(true);
    // No two bindings in one scope claim the same key.
    for (const scope of ["global", ...SCREENS] as const) {
      const chords = KEYMAP.filter((b) => b.scope === scope).flatMap((b) => b.keys.map((k) => JSON.stringify(k)));
      const duplicates = chords.filter((c, i) => chords.indexOf(c) !== i);
      // Tab and Shift-Tab appear once each globally; screens may reuse them.
      expect(duplicates, `duplicate keys in ${scope}`).toEqual([]);
    }
  });
});

describe("the shell reducer", () => {
  it("quits on a second Ctrl-C inside the window with exit code 130, not after it", () => {
    let s = appReducer(initialAppState(), { type: "interrupt", now: 1000, cancelled: "build" });
    expect(s.exiting).toBe(false);
    expect(s.flash).toBe("cancelled build; press Ctrl-C again within 3 s to quit");
    const late = appReducer(s, { type: "interrupt", now: 1000 + INTERRUPT_WINDOW_MS + 1, cancelled: undefined });
    expect(late.exiting).toBe(false);
    s = appReducer(s, { type: "interrupt", now: 2000, cancelled: undefined });
    expect(s).toMatchObject({ exiting: true, exitCode: 130 });
    expect(appReducer(initialAppState(), { type: "exit" })).toMatchObject({ exiting: true, exitCode: 0 });
  });

  it("lets the notice expire with its window; the next Ctrl-C is a first one again", () => {
    let s = appReducer(initialAppState(), { type: "interrupt", now: 1000, cancelled: undefined });
    s = appReducer(s, { type: "interrupt-expired", armedAt: 1000 });
    expect(s).toMatchObject({ interruptArmedAt: undefined, flash: undefined, exiting: false });
    // Even with a clock that says "inside the window", an expired Ctrl-C arms afresh.
    s = appReducer(s, { type: "interrupt", now: 1500, cancelled: undefined });
    expect(s).toMatchObject({ exiting: false, interruptArmedAt: 1500, flash: "press Ctrl-C again within 3 s to quit" });
    // An expiry of an older Ctrl-C changes nothing, and a message that replaced the notice stays.
    expect(appReducer(s, { type: "interrupt-expired", armedAt: 1000 })).toBe(s);
    const other = appReducer(s, { type: "flash", message: "T003 moved up" });
    expect(appReducer(other, { type: "interrupt-expired", armedAt: 1500 }).flash).toBe("T003 moved up");
  });

  it("remembers visited screens and wraps around with Tab", () => {
    let s = appReducer(initialAppState(), { type: "show", screen: "build" });
    s = appReducer(s, { type: "show", screen: "traces" });
    expect(s.visited).toEqual(["overview", "build", "traces"]);
    s = appReducer(initialAppState("models"), { type: "step", by: 1 });
    expect(s.screen).toBe("overview");
  });
});

describe("the text field", () => {
  it("treats byte 0x7F (Ink's key.delete) as Backspace", () => {
    let s = textInputState("notes");
    const action = textInputAction({ input: "", key: { delete: true } });
    expect(action).toEqual({ type: "backspace" });
    if (typeof action === "object") s = textInputReducer(s, action);
    expect(s).toEqual({ value: "note", cursor: 4 });
  });

  it("inserts at the cursor and keeps pasted text on one line", () => {
    let s = textInputReducer(textInputState("ac"), { type: "move", to: "left" });
    const paste = textInputAction({ input: "b\nx", key: {} });
    if (typeof paste === "object") s = textInputReducer(s, paste);
    expect(s.value).toBe("ab xc");
  });
});
