// Preloaded with --import in tests: any import of ink or react fails loudly.
import { register } from "node:module";
register("./forbid-ui-hooks.mjs", import.meta.url);
