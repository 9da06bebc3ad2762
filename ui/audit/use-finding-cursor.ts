// Which finding is selected. The cursor lives in a ref as well as in state:
// keys can arrive faster than frames (↓ then d in one read), and the second
// key must act on the row the first one moved to.

import { useRef, useState } from "react";
import type { Finding } from "../../src/audit/findings.js";
import type { Command } from "../keymap.js";

export interface FindingCursor {
  /** The cursor's row as of this render. */
  cursor: number;
  /** The finding at the cursor as of this render. */
  selected: Finding | undefined;
  /** The finding at the cursor now, for key handlers. */
  current(): Finding | undefined;
  /** Moves the cursor on ↑↓, Home/End and pages of `page` rows; false for any other key. */
  handle(command: Command, page: number): boolean;
}

export function useFindingCursor(findings: Finding[]): FindingCursor {
  const [cursor, setCursorState] = useState(0);
  const cursorRef = useRef(0);
  const findingsRef = useRef(findings);
  findingsRef.current = findings;
  const setCursor = (next: number) => {
    cursorRef.current = Math.max(0, Math.min(next, findingsRef.current.length - 1));
    setCursorState(cursorRef.current);
  };
  const handle = (command: Command, page: number): boolean => {
    switch (command) {
      case "cursor.up":
        setCursor(cursorRef.current - 1);
        return true;
      case "cursor.down":
        setCursor(cursorRef.current + 1);
        return true;
      case "cursor.first":
        setCursor(0);
        return true;
      case "cursor.last":
        setCursor(findingsRef.current.length - 1);
        return true;
      case "page.up":
      case "page.down":
        setCursor(cursorRef.current + (command === "page.up" ? -1 : 1) * page);
        return true;
      default:
        return false;
    }
  };
  return {
    cursor,
    selected: findings[Math.min(cursor, findings.length - 1)],
    current: () => findingsRef.current[Math.min(cursorRef.current, findingsRef.current.length - 1)],
    handle,
  };
}
