// Exit codes users and scripts rely on (DESIGN.md section 8).
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  modelUnavailable: 3,
  internal: 70,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
