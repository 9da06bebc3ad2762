// Every command: its synopsis and help text (shown without loading anything)
// and a loader for its module. Adding a command means adding a row here.

import { closest } from "../../grammar/did-you-mean.js";
import { DEFAULT_MODEL } from "../config/default-model.js";

export interface CommandModule {
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

export interface CommandEntry {
  name: string;
  synopsis: string;
  summary: string;
  help: string;
  load(): Promise<CommandModule>;
}

export const COMMANDS: CommandEntry[] = [
  {
    name: "init",
    synopsis: "init [dir]",
    summary: "scaffold a project (never overwrites)",
    help: `Usage: specwright init [dir]

Creates specwright.toml, specs/ with an example spec pair that validates,
context/, and .gitignore entries for .specwright/runs/, .specwright/lock and
.specwright/compare/.
Existing files are never overwritten; init says what it skipped. In a folder
that already has its specwright.toml, only missing .gitignore entries are
added (never the example spec again).

Options:
  --json   print {dir, created, skipped}

Exit codes: 0 done (also when everything existed), 1 a file could not be
written, 2 usage error.`,
    load: () => import("./commands/init.js"),
  },
  {
    name: "demo",
    synopsis: "demo [dir]",
    summary: "run the whole pipeline on an example, without Ollama",
    help: `Usage: specwright demo [dir] [--plain] [--tokens-per-second N]

The first run on a machine without Ollama. Copies the example project
(examples/wordfreq: a word-frequency command line in JavaScript, verified with
node --check and node --test) into dir (default ./specwright-demo), then starts
a SCRIPTED DEMO server on 127.0.0.1: it answers Ollama's API with replies
prepared for this example. It is not a model, and says so: it lists one model,
specwright-demo:scripted, and run.json and the traces record that the run was
scripted. This process and its steps are pointed at it through OLLAMA_HOST and
SPECWRIGHT_MODEL*; the copied specwright.toml keeps its real [model] section.

Without a terminal (or with --plain) it runs validate, audit, plan, build (one
task fails its verify and is fixed) and traces, printing each step's output.
In a terminal it runs validate, then opens the TUI on the project: 3 then R
audits, 4 then P plans, 5 then b builds, 6 shows the traces.

A dir that exists and is not empty is never touched (exit 1).

To build the example with a real model instead: ollama serve, ollama pull
${DEFAULT_MODEL} (the model named by [model] default in its specwright.toml),
then specwright audit, plan and build in a copy of examples/wordfreq.

Options:
  --plain                  run every step in plain output, even in a terminal
  --tokens-per-second N    streaming pace of the scripted replies (default 200; 0: no delay)

Exit codes: 0 the pipeline ran, 1 dir not empty or a step failed (its own exit
code is passed on), 2 usage error.`,
    load: () => import("./commands/demo.js"),
  },
  {
    name: "new",
    synopsis: "new <name> [--amd|--vmd|--draft TEXT]",
    summary: "write a spec from a template",
    help: `Usage: specwright new <name> [--amd|--vmd]

Writes <spec_dir>/<name>.smd (behaviour), or .amd (architecture) with --amd,
or .vmd (verification cases) with --vmd, from a template that validates as
written. The spec id is the name in upper case (word-count → WORD_COUNT).
Refuses to overwrite an existing file (exit 1).

With --draft "<one-line request>", the editor model (the drafter role) drafts
the whole behaviour spec instead, in the Intent style: an Overview ending in a
**Success metric:**, Goals, Non-Goals, Assumptions, Decisions, Requirements
with Accepts/Returns/Errors, Acceptance Criteria. Everything you did not say
is marked [inferred]. The request is an intent entry (see \`specwright ask\`);
the draft must validate, is shown as a diff, and stays pending until
\`specwright ask --accept ID\` (or --yes writes it at once).

Options:
  --amd, --vmd        an architecture or verification template instead
  --draft TEXT        draft the spec from your words with the drafter model
  --yes               write the draft without waiting for --accept
  --no-audit          no focused audit of the draft once it is written
  --model NAME        use this model for the draft

Exit codes: 0 written (or drafted), 1 the file exists or cannot be written,
or the draft failed, 2 usage or config error, or no project here, 3 Ollama or
the model unavailable (--draft), 130 interrupted.`,
    load: () => import("./commands/new.js"),
  },
  {
    name: "validate",
    synopsis: "validate [paths…] [--strict]",
    summary: "check specs without a model",
    help: `Usage: specwright validate [paths…] [--strict] [--json]

Parses and checks spec files (*.smd, *.amd, *.vmd) without any model and
reports every problem in every file as file:line:col with the source line.
Paths are spec files or folders; they work outside any project, and a lone
architecture or verification file is checked on its own. Without paths, the
project's spec_dir is validated (an Ossature project's ossature.toml works too).

Options:
  --strict   require Ossature's full section set and AMD contracts
  --json     print {specs, architectures, verifications, diagnostics}

Exit codes: 0 no errors, 1 errors found, 2 usage or config error.`,
    load: () => import("./commands/validate.js"),
  },
  {
    name: "check",
    synopsis: "check [SPEC…]",
    summary: "run the verification cases (.vmd) against the output, no model",
    help: `Usage: specwright check [SPEC…] [--json]

Runs the verification cases of the .vmd files (all specs, or the ones named)
against the current output dir, with no model. Function groups run through a
harness specwright writes itself (Python via python3, JavaScript ESM via
node, TypeScript when the output has tsx), importing each function from the
@path of the component whose interface names it. Command scenarios run each in
a fresh copy of the output dir (.git left out), each step in its own process
group with build.verify_timeout, capped output, CI=1 and stdin closed. The
output dir itself is never written.

Prints a table of every case (pass, FAIL, not run), then for each failure the
expectation and the actual result. A case that cannot run (no harness for the
language, an opaque fixture) is "not run" and counts as a failure: nothing
passes silently. Results are kept in .specwright/cases.json for
\`status --coverage\`.

Options:
  --json   print {cases, passed, failed, notRun, durationMs}

Exit codes: 0 every case passed (or there are none), 1 a case failed or could
not run, 2 usage or config error, 130 interrupted.`,
    load: () => import("./commands/check.js"),
  },
  {
    name: "audit",
    synopsis: "audit [--fix errors|none|all]",
    summary: "have the audit model look for gaps and contradictions",
    help: `Usage: specwright audit [--fix errors|none|all] [--errors-ok] [--max-fix-cycles N] [--json]
       specwright audit --dismiss <finding> --reason "…" | --accept <finding> | --reopen <finding>
       specwright audit --undo <finding>

Validates the specs, then asks the audit model (the audit role in
specwright.toml) for findings per spec: contradictions, ambiguities two
developers would resolve differently, gaps that crash or lose data, and
architecture/behaviour mismatches. A spec whose files, model and audit prompt
are unchanged is not asked again. With several specs, a cross-spec audit
looks for gaps between them. Findings live in .specwright/findings.json with
stable ids and a triage state.

Fixes: the fixer role proposes a minimal search/replace edit per finding; it
is applied only if the specs still validate, new text is marked [inferred],
and every fix can be undone with --undo. Then the changed specs are audited
again, up to max_fix_cycles.

Options:
  --fix MODE            errors (default): fix error findings; all; none
  --max-fix-cycles N    audit → fix → re-audit rounds (default [audit] max_fix_cycles)
  --errors-ok           exit 0 even while error findings stay open
  --model NAME          use this model for every role in this run
  --dismiss ID --reason TEXT, --accept ID, --reopen ID   triage a finding
  --undo ID             revert the latest applied fix of a finding
  --json                print {findings, summary}

Exit codes: 0 no open errors, 1 open error findings or a failed call,
2 usage or config error, 3 Ollama or the model unavailable, 130 interrupted.`,
    load: () => import("./commands/audit.js"),
  },
  {
    name: "findings",
    synopsis: "findings [--all]",
    summary: "list the audit's findings, without a model",
    help: `Usage: specwright findings [--all] [--json]

Lists the findings in .specwright/findings.json as \`specwright audit\` prints
them — id, severity, triage state, file:line, the issue and the suggestion —
without asking any model (audit needs Ollama even with --fix none). Open and
accepted findings are listed; --all adds the fixed and dismissed ones.
Triage them with \`specwright audit --dismiss ID --reason "…"\`, --accept ID or
--reopen ID.

Options:
  --all    also list fixed and dismissed findings
  --json   print {findings, summary}

Exit codes: 0 listed, 1 findings.json cannot be read, 2 usage or config
error, or no project here.`,
    load: () => import("./commands/findings.js"),
  },
  {
    name: "plan",
    synopsis: "plan [--from-architecture] [--check] [--review] [--import-ossature]",
    summary: "turn the specs into an editable build plan",
    help: `Usage: specwright plan [--from-architecture] [--replan [--yes]] [--check] [--json]
       specwright plan --review | --check --review [--json]
       specwright plan --import-ossature [--yes] [--json]

Writes .specwright/plan.toml: tasks with the files they produce, the spec
parts they see, their dependencies and verify commands. The planner model
(the planner role) is asked once per spec, in dependency order, and only for
specs whose files changed since they were planned; its answer goes through
the same checks as a hand-edited plan and is re-asked once with the problems.
Tasks of unchanged specs keep everything; a re-planned task that produces the
same files keeps its id, status, notes and verify commands. Hand edits to
plan.toml are kept: tasks are edited in place, new ones appended.

Options:
  --from-architecture  no model: one task per AMD component, in Depends-on order,
                       verified by the file type's syntax check; a tests component
                       (a test file) gets the tested code's requirements, Examples
                       and Acceptance Criteria, comes after it, and runs its tests
  --replan             discard the plan and plan every spec again (asks; --yes in scripts)
  --check              only validate plan.toml (refs, ids, cycles, files, verify programs);
                       warn about spec items no task references (requirements,
                       acceptance criteria, contracts, properties, .vmd cases)
  --review             ask the reviewer role, without the planner's conversation, whether
                       the plan covers the specs (uncovered behaviours, tasks too large
                       for the context, verify commands that miss the criteria); its
                       findings go to findings.json as PLAN-n, triaged like audit
                       findings (\`audit --dismiss PLAN-n --reason …\`). A planner run
                       does this too when build.review is on. With --check: list the
                       stored findings, no model
  --import-ossature    no model: convert an Ossature project's .ossature/plan.toml into
                       .specwright/plan.toml, keeping ids, titles, descriptions, notes,
                       verify and order; refs are translated, a file several tasks write
                       belongs to the first and is an edit of the later ones, copy tasks
                       copy without a model, done tasks whose files exist become manual.
                       Every loss is reported at its line; then the plan is checked.
                       Replaces an existing plan only when asked (--yes in scripts)
  --model NAME         use this model for every role in this run
  --json               print {plan, diagnostics} (with --import-ossature, also {summary};
                       with --review, also {review})

Exit codes: 0 ok, 1 plan problems or a failed call, 2 usage or config error,
3 Ollama or the model unavailable, 130 interrupted.`,
    load: () => import("./commands/plan.js"),
  },
  {
    name: "build",
    synopsis: "build [--only T|--from T] [--force]",
    summary: "build, verify and fix the plan's tasks",
    help: `Usage: specwright build [--only T | --from T] [--force] [--yes] [--json]

Builds the tasks of .specwright/plan.toml in dependency order with the build
model: each task sees only its refs, the architecture of what it writes, its
dependencies' interfaces and its context files, and answers with whole files.
Files are written only where the task declares them, atomically, and never
over a file changed by hand. Each task's verify commands run in the output
dir; a failure goes back to the model with the output, up to
max_fix_attempts. Every finished task is one git commit in the output dir
(build.git). A task whose inputs and files are unchanged is not built again:
an unchanged project makes zero model calls and runs zero verify commands.
Ctrl-C stops cleanly; the next build resumes.

Options:
  --only T      build T and the tasks that depend on it
  --from T      build T and every task after it in build order
  --force       rebuild even up-to-date tasks, and overwrite files changed by hand
  --yes         answer questions without asking (never overwrites hand edits)
  --model NAME  use this model for every role in this run
  --json        print every build event as one JSON line

Exit codes: 0 all tasks done, 1 a task failed, 2 usage or config error,
3 Ollama or the model unavailable, 130 interrupted.`,
    load: () => import("./commands/build.js"),
  },
  {
    name: "ask",
    synopsis: 'ask "<words>"',
    summary: "a spec change from your words (kept in the intent log)",
    help: `Usage: specwright ask "<words>" [--at SPEC#anchor|FILE[:LINE]] [--thread ID] [--yes] [--json]
       specwright ask -              (the words from stdin: a pasted error or trace is fine)
       specwright ask --accept ID [--hunks 1,3] [--edit] [--no-audit]
       specwright ask --reject ID [--reason TEXT] | --retry ID | --audit ID

Your words are appended verbatim to .specwright/intent.jsonl (fsynced) before
any model is called: a crash, Ctrl-C or Ollama being down keeps them, marked
unanswered, and --retry answers them later. The editor model (the drafter
role) sees the words, where they were said (--at), the thread they refine
(--thread), recent requests, and the spec files with line numbers (when they
do not all fit the context: the specs the request names and their
dependencies, and it says which it left out). It answers with edits to spec
files only (.smd .amd .vmd; never code, plan.toml or config), each explicit
(what you said) or inferred (a gap it filled, marked [inferred] in the spec),
or with clarifying questions.

The proposal is shown as a unified diff with numbered hunks and its impact,
computed without a model: which requirements, components and sections change,
which plan tasks would rebuild, and which task refs would stop resolving. It
is applied only if every spec still validates (the model gets the problems
once). Without --yes it stays pending; --accept applies it (or only the
--hunks given), --edit opens it in $VISUAL/$EDITOR first and applies what
you save if the specs validate (else nothing changes, and the diagnostic says
file:line:col), --reject drops it. A spec file changed on disk since the
proposal was made is detected and the proposal is refused, never applied on
top of different text.

Once a proposal is applied, the audit role checks only the parts of the specs
it changed (one model call) and prints what the change introduced; fixes it
can make within those parts become a follow-up entry in the same thread, pending
and marked [inferred], for --accept like any proposal. --no-audit (or
audit.after_ask = "off") skips that check; --audit ID runs it later.

Options:
  --at SPEC#anchor|FILE[:LINE]   what the request is about (its context)
  --thread ID      refine or answer an earlier entry (same thread)
  --yes            accept the proposal; with questions, record the model's
                   assumptions as [inferred] bullets under Assumptions
  --accept ID      apply a pending proposal; --hunks N,M applies only those hunks
  --edit           with --accept: edit the proposed text in $VISUAL/$EDITOR first
  --no-audit       no focused audit of the change after it is applied
  --audit ID       run the focused audit of an applied entry's change now
  --reject ID      reject a pending proposal (--reason TEXT is logged)
  --retry ID       answer an unanswered, refused or stale entry again
  --model NAME     use this model for every role in this run
  --json           print the proposal or decision as JSON

Exit codes: 0 proposal pending or applied, 1 questions asked, refused or not
applied, 2 usage or config error, 3 Ollama or the model unavailable (the words
are kept), 130 interrupted (the words are kept).`,
    load: () => import("./commands/ask.js"),
  },
  {
    name: "intent",
    synopsis: "intent [ID] [--md]",
    summary: "the intent log: who asked for what, and what it caused",
    help: `Usage: specwright intent [ID] [--md] [--json]

Lists .specwright/intent.jsonl: per entry its id, time, author (git
user.name), status (unanswered, questions, pending, refused, accepted, edited,
rejected), the spec files it changed, the tasks it invalidated, the commits
that rebuilt them, and the first line of the words. With an id, shows one
entry whole: the verbatim words and their context, the proposal, the applied
diff, the person's own edits, the tasks invalidated and the commits. --md
renders the log (or the entry) as Markdown for reading. Needs no model.

Exit codes: 0 shown, 1 no such entry or the log cannot be read, 2 usage or
config error, or no project here.`,
    load: () => import("./commands/intent.js"),
  },
  {
    name: "confirm",
    synopsis: "confirm SPEC#anchor|FILE:LINE",
    summary: "confirm (or --reject) [inferred] spec content",
    help: `Usage: specwright confirm SPEC#anchor | FILE:LINE [--reject] [--json]

Confirms what a model inferred: removes the [inferred] marker of the item on
FILE:LINE, or of every inferred item inside requirement (or component) anchor
of SPEC. With --reject, removes those items instead (a bullet, or a whole
inferred requirement). The specs must still validate. Each confirmation or
rejection is an intent entry with its diff and the tasks it invalidates (the
TUI's Specs screen does the same with one key). Needs no model.

Exit codes: 0 done, 1 nothing inferred there or the specs would not
validate, 2 usage error.`,
    load: () => import("./commands/confirm.js"),
  },
  {
    name: "blame",
    synopsis: "blame <file[:line]>",
    summary: "from a line of code back to the task, spec and words",
    help: `Usage: specwright blame output/<file>[:line] [--json]

Walks back from generated code: the plan task that writes (or edits) the
file; with build.git on, the commit that last changed the line (its Intent
trailer names the requests that caused that rebuild); the spec parts the task
saw; and the accepted intent entries whose diffs created or last changed
those parts, with the person's words verbatim. Needs no model.

Exit codes: 0 shown, 1 no plan or no task writes the file, 2 usage error.`,
    load: () => import("./commands/blame.js"),
  },
  {
    name: "status",
    synopsis: "status [--coverage]",
    summary: "each task's state and whether it is up to date",
    help: `Usage: specwright status [--coverage] [--json]

Lists the plan's tasks with their last build result, whether they are up to
date, their commit, and why a task will be built again ("requirement \`add\`
changed", "built with A; the config now names B"). Needs no model.

--coverage lists instead every requirement, acceptance criterion, contract,
property and verification case of the specs: the tasks whose refs include
it, what checks it (those tasks' verify commands, the cases that @cover it,
the implementation judge's verdicts) and its last result (pass, FAIL, not
run, or unchecked when nothing checks it). With --json: {items, summary}.

Exit codes: 0 shown, 1 the specs or plan.toml have errors (or there is no
plan yet), 2 usage or config error, or no project here.`,
    load: () => import("./commands/status.js"),
  },
  {
    name: "prompt",
    synopsis: "prompt <task>",
    summary: "a task's exact prompt and its size, without a model",
    help: `Usage: specwright prompt <task> [--json]

Prints the exact first prompt a build would send for the task — the same
messages, byte for byte, from the specs, plan.toml, state and output dir as
they are now — and its size against the context window: the estimate with the
margin a run reserves, the output budget (build.max_output_tokens), and the
num_ctx a build would ask for (model.num_ctx, or what "auto" picks, room for
a fix included). No model is asked and nothing is written.

Options:
  --json   print {task, title, messages, expectedFiles, window}

Exit codes: 0 shown and it fits, 1 it does not fit the window (or the specs
or plan.toml have errors, or the task cannot be prompted), 2 usage or config
error, no such task, or no project here.`,
    load: () => import("./commands/prompt.js"),
  },
  {
    name: "why",
    synopsis: "why <task>",
    summary: "what changed since a task was built",
    help: `Usage: specwright why <task> [--json]

Names what changed since the task was last built: which spec part's text
(requirement, section, component), which dependency's output, the model or
its options, the verify commands, a context file, or a file changed by hand.

Exit codes: 0 explained, 1 the specs or plan.toml have errors, 2 usage or
config error, no such task, or no project here.`,
    load: () => import("./commands/why.js"),
  },
  {
    name: "rollback",
    synopsis: "rollback <task>",
    summary: "revert a task's commit and mark it for rebuilding",
    help: `Usage: specwright rollback <task> [--json]

Reverts the task's latest commit in the output repository with a new commit
(history is never rewritten) and marks the task to be built again. Refuses
when the task's files have uncommitted changes or the revert conflicts.

Exit codes: 0 rolled back, 1 refused (uncommitted changes, a conflict, no
commit), 2 usage or config error, or no project here.`,
    load: () => import("./commands/rollback.js"),
  },
  {
    name: "config",
    synopsis: "config",
    summary: "show the effective config and its sources",
    help: `Usage: specwright config [--json]

Prints every setting with the place its value came from: a default, the user
config ($XDG_CONFIG_HOME/specwright/config.toml), the project's
specwright.toml (file:line), the environment (SPECWRIGHT_<TABLE>_<KEY>,
SPECWRIGHT_MODEL, OLLAMA_HOST), or a flag. Works outside a project (defaults
and the user config). A config with errors shows its diagnostics on stderr and
still lists every value that did load.

Options:
  --json   print {root, projectFile, userFile, valid, diagnostics, config, sources}

Exit codes: 0 the config is valid, 2 usage error or the config has errors.`,
    load: () => import("./commands/config.js"),
  },
  {
    name: "models",
    synopsis: "models",
    summary: "list models, roles, context lengths",
    help: `Usage: specwright models [--json]

Lists the models installed in Ollama (size, parameters, quantization, maximum
context length, capabilities) and which model each role (audit, planner,
build, fixer, reviewer, drafter) resolves to, with \`ollama pull\` for any
that is missing. The host comes from model.host or OLLAMA_HOST.

Options:
  --json   print {host, version, models, roles}

Exit codes: 0 listed (even with a role's model missing), 2 config error,
3 Ollama not reachable.`,
    load: () => import("./commands/models.js"),
  },
  {
    name: "doctor",
    synopsis: "doctor",
    summary: "what the server and model can do, measured",
    help: `Usage: specwright doctor [--role ROLE] [--model NAME] [--no-probe] [--json]

Checks what a run would meet: the Ollama server (version, whether it refuses
over-long prompts instead of cutting them, what its prompt counts mean, whether
/api/ps reports the context really loaded), the role's model (installed,
digest, quantization, maximum context, capabilities, tokenizer family and the
estimate margin for it), the num_ctx and output budget a run plans with, and
the context the model really gets once loaded. Then a probe sends the same
short prompt twice: prompt-eval and generation speed, and whether the prefix
cache served the second one. Each problem is printed with its fix.

The probe loads the model (like a build's preload); --no-probe skips it.

Options:
  --role ROLE    the role whose model to check (default build)
  --model NAME   check NAME instead (add +think for thinking on)
  --no-probe     do not load the model or send the two probe calls
  --json         print the report as JSON

Exit codes: 0 usable (warnings allowed), 1 another error, 2 usage or config
error (e.g. model.num_ctx needed), 3 Ollama or the model unavailable,
130 interrupted.`,
    load: () => import("./commands/doctor.js"),
  },
  {
    name: "traces",
    synopsis: "traces [run] [task|call] [attempt]",
    summary: "list runs and show recorded model calls",
    help: `Usage: specwright traces [run] [task|call] [attempt] [--json]

Without arguments, lists the runs in .specwright/runs/ (oldest first).
With a run (its id, a unique prefix, or "last"), lists the run's model calls;
a build attempt whose verify commands failed shows "verify failed".
With a task id and an attempt number (T002 1), prints that attempt: outcome,
metrics, the exact prompt, the reply and its verify.log. Other calls are named
<caller>-<spec>-<n> (audit-WORDFREQ-1, plan-WORDFREQ-2); "audit" or "plan"
lists every such call of the run. A call cut short by Ctrl-C or a crash shows
the reply received so far.

Options:
  --json   print the same as JSON

Exit codes: 0 shown, 1 no such run or call, 2 usage or config error.`,
    load: () => import("./commands/traces.js"),
  },
  {
    name: "report",
    synopsis: "report [run…] [--since DATE]",
    summary: "what the build runs say about tasks and models, with hints",
    help: `Usage: specwright report [run…] [--since DATE] [--json]

Reads the build runs' traces (.specwright/runs/*-build) back, without a model:
per task its attempts, first-try passes, passes after fixes, failures, the
failures that recur (by the fix loop's fingerprint), tokens, cache share and
time; per model (name@digest, quantization) its first-try and final pass
rates, mean attempts, tokens/s and prompt evaluation's share of its time; per
run the trend. Hints follow where the numbers support them: a task that
needed fixes in most runs (and whether its refs hold an Example), a failure
repeating across tasks, prompts over half the context, thinking that used up
the output budget. Review verdicts are shown when the runs have them.

Runs are named by id, a unique prefix, or "last"; without any, every build run.

Options:
  --since DATE   only runs started since DATE (2026-11-20, an ISO time, or an age: 7d, 12h)
  --json         print the report as JSON (schema in docs/report.md)

Exit codes: 0 shown (also when there are no runs), 1 no such run, 2 usage or config error.`,
    load: () => import("./commands/report.js"),
  },
  {
    name: "clean",
    synopsis: "clean [--runs|--build|--compare|--all]",
    summary: "remove run traces, the output and build state, or comparisons",
    help: `Usage: specwright clean [--runs | --build | --compare | --all] [--yes] [--json]

Removes what runs leave behind, after saying what and how much:
  --runs     the run traces in .specwright/runs/ (the default)
  --build    the output dir (with its git history) and .specwright/state.json:
             the next build starts from nothing
  --compare  the comparisons in .specwright/compare/ (scratch builds, results)
  --all      all three
The specs, plan.toml, findings.json and the intent log are never touched. An
output dir that is the project folder, or holds the specs, is refused. In a
terminal it asks first; without one it needs --yes. It waits for no build: a
running one holds the run lock and clean stops.

Options:
  --yes    remove without asking
  --json   print {removed}

Exit codes: 0 removed (or nothing to remove), 1 not confirmed or a build is
running, 2 usage or config error, --yes missing without a terminal, or no
project here.`,
    load: () => import("./commands/clean.js"),
  },
  {
    name: "retro",
    synopsis: "retro [--last N] [--ask N]",
    summary: "ask the reviewer model what in the specs made the last tasks need fixes",
    help: `Usage: specwright retro [--last N] [--model M] [--json]
       specwright retro --ask N [--yes] [--model M] [--json]

A retrospective: one call to the reviewer model (role "reviewer", else
default) over a digest of the last N tasks built (default 20): each task's
refs, how its builds went, its distinct failures (the first error line and a
short excerpt) and the reviewer's findings — never whole traces; the digest
is kept within a budget (about 5,000 tokens) by shortening excerpts, then
leaving out the oldest tasks. The model answers which spec passages caused
repeated fixes, what to add or make explicit, and which tasks to split.

The answer is written to .specwright/retros/<date>.md, and to <date>.json
with each recommendation as a spec-change request. The call is traced in a
"retro" run. Nothing else is changed.

Options:
  --last N    how many of the most recently built tasks to look at (1–500, default 20)
  --model M   use model M for this retro
  --ask N     send recommendation N of the latest retro to \`specwright ask\`
              (its words and --at, as the retro prints them); no new retro
  --yes       with --ask: accept the proposal, like ask --yes
  --json      print the answer and the requests as JSON

Exit codes: 0 written, 1 no builds yet or the call failed, 2 usage or config
error, 3 Ollama unreachable or the model missing, 130 interrupted.`,
    load: () => import("./commands/retro.js"),
  },
  {
    name: "compare",
    synopsis: "compare --models a,b [--only T…] [--runs K]",
    summary: "build the plan once per model in scratch folders and tabulate how each did",
    help: `Usage: specwright compare --models a,b[,c] [--only T…] [--runs K] [--id ID] [--json]

Builds the plan (or the --only tasks and what they depend on) once per model,
each into its own scratch folder .specwright/compare/<id>/<model>/run-<k>/
(output/ with its own git repository, state and traces), with the same
prompts, verify commands, verification cases and fix budget. output/,
.specwright/state.json and the project's git history are never touched.
Then one table per model: tasks passed first try, passed after fixes,
failed, attempts, tokens, wall time and tokens/s; with --runs K each model
builds K times with seeds counting up, and the spread is shown.

Models run one after another on the configured endpoint, so each one is
loaded in turn; the time this will take is estimated up front from the model
sizes and the plan's prompt sizes. The result is saved after every task in
.specwright/compare/<id>/result.json (schema in docs/compare.md). Ctrl-C
stops; the same command again continues where it stopped, and finished runs
are not redone. The judge (build.review) is the configured reviewer for every
model. The run lock is held while comparing, like a build.

Options:
  --models a,b  two or more installed models, comma-separated
  --only T      compare on task T and what it depends on (repeatable, or T1,T2)
  --runs K      build K times per model (1–20, default 1), seeds counting up
                from model.seed (or 1)
  --id ID       name the comparison (default: from the models and inputs, so
                the same command resumes it)
  --json        print the result document and the table's figures as JSON

Exit codes: 0 compared (whatever the tasks did), 1 a model run could not
start or the plan has errors, 2 usage or config error, 3 Ollama unreachable
or a model not installed, 130 interrupted (rerun to continue).`,
    load: () => import("./commands/compare.js"),
  },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}

export function suggestCommand(name: string): string | undefined {
  return closest(name, COMMANDS.map((c) => c.name));
}
