// Is a program on PATH? Plan validation asks this of every verify command.

import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

export function makePathLookup(pathEnv: string | undefined = process.env.PATH): (program: string) => boolean {
  const dirs = (pathEnv ?? "").split(delimiter).filter((d) => d !== "");
  const cache = new Map<string, boolean>();
  return (program) => {
    let found = cache.get(program);
    if (found === undefined) {
      found = dirs.some((dir) => {
        const path = join(dir, program);
        try {
          accessSync(path, constants.X_OK);
          return statSync(path).isFile();
        } catch {
          return false;
        }
      });
      cache.set(program, found);
    }
    return found;
  };
}
