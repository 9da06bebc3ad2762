// The model a project uses when it names none: what `init` writes, what the
// README and the example tell a person to pull, and what every hint names.
// A docs-drift test holds every such mention to this one value. Its own
// module, without imports, so `--help` can name it without loading the config.

export const DEFAULT_MODEL = "qwen2.5-coder:14b";
