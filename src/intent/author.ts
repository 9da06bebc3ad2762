// Who said it: the project's git user.name (and email), as a commit would
// name them; else the login name. A request is logged even without git.

import { execFile } from "node:child_process";
import { userInfo } from "node:os";

function gitConfig(root: string, key: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("git", ["config", "--get", key], { cwd: root, timeout: 5_000 }, (error, stdout) => {
      const value = String(stdout ?? "").trim();
      resolve(error || value === "" ? undefined : value);
    });
  });
}

export async function intentAuthor(root: string, env: NodeJS.ProcessEnv): Promise<string> {
  const [name, email] = await Promise.all([gitConfig(root, "user.name"), gitConfig(root, "user.email")]);
  if (name) return email ? `${name} <${email}>` : name;
  const login = env.USER ?? env.LOGNAME ?? (() => {
    try {
      return userInfo().username;
    } catch {
      return undefined;
    }
  })();
  return login ?? "unknown";
}
