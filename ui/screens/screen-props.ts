// What the shell gives every screen.

export interface ScreenProps {
  /** The screen is the one shown; hidden screens stay mounted but get no keys. */
  active: boolean;
  /** Rows the screen may use; it must never render more. */
  height: number;
  width: number;
}
