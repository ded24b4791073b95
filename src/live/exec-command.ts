// Codex's own shell tool, `exec_command`, from the model's side: the `function_call` a brain
// returns to make Codex run a command, and the parser of the text Codex sends back in the
// next request's `function_call_output.output`.
//
// Everything below was observed with codex-cli 0.163.0 (`codex app-server`, offline, with the
// mock model server; see test/live/exec-command.test.ts), not taken from documentation.
//
// ---- The tool as offered --------------------------------------------------------------
//
//   EXEC_COMMAND_TOOL below, verbatim from the request's `tools` (a plain function, no
//   namespace; `cmd` required, additionalProperties false). Next to it: `write_stdin`
//   {session_id (required), chars, yield_time_ms, max_output_tokens}, to poll or feed a
//   command that outlived its yield time.
//
// ---- What comes back (function_call_output.output, a string), verbatim -------------------
//
//   `printf 'a\nb'; exit 3`:
//     "Chunk ID: 9dee9b\nWall time: 0.0000 seconds\nProcess exited with code 3\nOriginal token count: 1\nOutput:\na\nb"
//   `echo hi`:
//     "Chunk ID: a6b390\nWall time: 0.0000 seconds\nProcess exited with code 0\nOriginal token count: 1\nOutput:\nhi\n"
//   `printf ''`:
//     "Chunk ID: ef075f\nWall time: 0.0000 seconds\nProcess exited with code 0\nOriginal token count: 0\nOutput:\n"
//   `echo out; echo err 1>&2; echo out2` (stderr included; order between the streams not kept):
//     "Chunk ID: d5762c\nWall time: 0.0000 seconds\nProcess exited with code 0\nOriginal token count: 4\nOutput:\nout\nout2\nerr\n"
//   `nosuchcommand-xyz`:
//     "Chunk ID: 2862b0\nWall time: 0.0000 seconds\nProcess exited with code 127\nOriginal token count: 14\nOutput:\n/bin/bash: line 1: nosuchcommand-xyz: command not found\n"
//   `sleep 0.5; echo slept`:
//     "Chunk ID: f0fff3\nWall time: 0.3622 seconds\nProcess exited with code 0\nOriginal token count: 2\nOutput:\nslept\n"
//   `kill -9 $$` (a signal: 128 + n): "…Process exited with code 137\nOriginal token count: 0\nOutput:\n"
//   A command still running when yield_time_ms is up (no exit code; poll with write_stdin):
//     "Chunk ID: e19a37\nWall time: 0.2517 seconds\nProcess running with session ID 56878\nOriginal token count: 2\nOutput:\nstart\n"
//   A command Codex would not start (bad workdir; or refused by policy):
//     "exec_command failed: CreateProcess { message: \"Rejected(\\\"Failed to create unified exec process: No such file or directory (os error 2)\\\")\" }"
//     "exec_command failed: CreateProcess { message: \"Rejected(\\\"`/bin/bash -lc 'touch a; rm -f a && echo removed'` rejected: rm -f style commands are not permitted. Use a safer approach\\\")\" }"
//
//   So: `Chunk ID` (6 random hex), `Wall time` (4 decimals), then `Process exited with code N`
//   or `Process running with session ID N`, `Original token count` (≈ bytes / 4), `Output:`,
//   and the output exactly (no trailing newline added or removed; CR kept; bytes that are
//   not UTF-8 become U+FFFD, so binary output is lossy: use base64).
//
// ---- Truncation: two layers, both keep the head and the tail and cut the middle -----------
//
//   1. exec_command's `max_output_tokens` (default 10 000 tokens ≈ 40 000 bytes):
//      "Output:\nWarning: truncated output (original token count: 173)\nTotal output lines: 200\n\n1\n2\n…\n3…123 tokens truncated…176\n…\n200\n"
//      (`seq 1 200` with max_output_tokens 50).
//   2. What the *model* is shown of any tool output, Codex's `tool_output_token_limit`
//      (config.toml; for a model Codex does not know, like `mock-model`, the default is a
//      10 000-byte budget, ~5 000 bytes head + ~5 000 tail), regardless of max_output_tokens:
//      `seq 1 20000` (108 894 bytes) with max_output_tokens 1 000 000 came back as
//      "…Original token count: 27224\nOutput:\nWarning: truncated output (original token count: 27224)\nTotal output lines: 20000\n\n1\n2\n…12…98894 chars truncated…7\n19168\n…"
//      With `tool_output_token_limit = 200000` in config.toml *and* max_output_tokens 1 000 000
//      the whole 108 894 bytes came back.
//   Both layers put the same "Warning: truncated output (original token count: N)\nTotal
//   output lines: L\n\n" before the output: that is how truncation is recognised here. A
//   truncated output is never silently returned as if it were whole.
//
// ---- Running: where, how, with what --------------------------------------------------------
//
//   - Default shell: the user's (`/bin/bash -lc "<cmd>"` here, a login shell: profiles run).
//     `shell: "/bin/sh", login: false` runs `sh -c "<cmd>"` instead (what execCommandCall asks for).
//   - Default directory: the turn cwd (thread/start `cwd`; without one, the app-server's own
//     cwd). `workdir` overrides it; a relative one is resolved against the turn cwd; one that
//     does not exist fails the call (`exec_command failed: …`).
//   - No PTY unless `tty: true`: stdout and stderr are pipes, stdin is closed (`cat` sees EOF).
//   - Environment: the app-server's, plus CODEX_CI=1, CODEX_THREAD_ID, CODEX_TOOL_CALL_ID,
//     CODEX_VERSION, NO_COLOR=1, TERM=dumb, PAGER=cat, GIT_PAGER=cat, GH_PAGER=cat,
//     LC_ALL=LANG=C.UTF-8, and Codex's helper dir first on PATH.
//   - With thread/start `sandbox: 'danger-full-access'` and `approvalPolicy: 'never'` commands
//     run at once, unsandboxed, with no approval request (no server→client request at all).
//     `workspace-write` makes `.git` read-only (git commit fails); `read-only` writes nothing.
//   - Under approval `never`, whatever the sandbox, any command containing `rm -f` / `rm -rf`
//     is rejected before it runs: "rm -f style commands are not permitted. Use a safer
//     approach" (openai/codex#10048). Codex parses the script, into `sh -c '…'` arguments too,
//     however deep in a longer script (`rm -r -f` counts); `rm -f` merely as text (a commit
//     message, a path, a file's content) is fine. `git reset --hard`, `git clean -fd` run.
//
// ---- App-server notifications of a command -----------------------------------------------
//
//   item/started   {item: {type: "commandExecution", id: <call_id>, command, cwd,
//                   processId: "12749" | null, source: "unifiedExecStartup", status: "inProgress",
//                   commandActions: [{type: "unknown", command: "<cmd>"}], aggregatedOutput: null,
//                   exitCode: null, durationMs: null, pluginId: null, scriptPath: null},
//                   threadId, turnId, startedAtMs}
//   item/completed {item: {…the same, status: "completed" (exit 0) | "failed" (exit ≠ 0, or -1 when
//                   it could not start), aggregatedOutput, exitCode, durationMs}, threadId, turnId,
//                   completedAtMs}
//   `command` is the argv Codex ran, shell-quoted: `/bin/bash -lc "printf 'a\\nb'; exit 3"` by
//   default, `/usr/bin/sh -c "…"` with shell "/bin/sh" and login false. `aggregatedOutput` is
//   the *whole* output (108 894 bytes for `seq 1 20000`) even when the model was shown ~10 000:
//   an app-server client can read what the model cannot. A command still running when the turn
//   ends gets item/started only.

import type { OutputItem } from './model-server.ts';

/** The Codex version the formats above were observed with. */
export const OBSERVED_CODEX_VERSION = '0.163.0';

/** The exec_command tool exactly as Codex 0.163.0 offers it in the model request's `tools`. */
export const EXEC_COMMAND_TOOL = {
  type: 'function',
  name: 'exec_command',
  description: 'Runs a command in a PTY, returning output or a session ID for ongoing interaction.',
  strict: false,
  parameters: {
    type: 'object',
    properties: {
      cmd: {
        type: 'string',
        description: 'Shell command to execute.',
      },
      justification: {
        type: 'string',
        description: 'User-facing approval question for `require_escalated`; omit otherwise.',
      },
      login: {
        type: 'boolean',
        description: 'True runs the shell with -l/-i semantics; false disables them. Defaults to true.',
      },
      max_output_tokens: {
        type: 'number',
        description: 'Output token budget. Defaults to 10000 tokens; larger requests may be capped by policy.',
      },
      prefix_rule: {
        type: 'array',
        description: 'Reusable approval prefix for `cmd`, only with `sandbox_permissions: "require_escalated"`; for example ["git", "pull"].',
        items: {
          type: 'string',
        },
      },
      sandbox_permissions: {
        type: 'string',
        description: 'Per-command sandbox override. Defaults to `use_default`; use `require_escalated` for unsandboxed execution.',
        enum: ['use_default', 'require_escalated'],
      },
      shell: {
        type: 'string',
        description: "Shell binary to launch. Defaults to the user's default shell.",
      },
      tty: {
        type: 'boolean',
        description: 'True allocates a PTY for the command; false or omitted uses plain pipes.',
      },
      workdir: {
        type: 'string',
        description: 'Working directory for the command. Defaults to the turn cwd.',
      },
      yield_time_ms: {
        type: 'number',
        description: 'Wait before yielding output. Defaults to 10000 ms; effective range is 250-30000 ms.',
      },
    },
    required: ['cmd'],
    additionalProperties: false,
  },
} as const;

/** Arguments of `exec_command` (all but `cmd` optional). */
export interface ExecCommandArgs {
  cmd: string;
  workdir?: string;
  shell?: string;
  login?: boolean;
  tty?: boolean;
  yield_time_ms?: number;
  max_output_tokens?: number;
  sandbox_permissions?: 'use_default' | 'require_escalated';
  justification?: string;
  prefix_rule?: string[];
}

/** What execCommandCall asks for unless told otherwise: a plain `sh -c`, no profiles, the longest yield. */
export const EXEC_DEFAULTS: Omit<ExecCommandArgs, 'cmd'> = { shell: '/bin/sh', login: false, yield_time_ms: 30_000 };

/**
 * The `function_call` item that makes Codex run `cmd` in `cwd` with its exec_command tool
 * (a plain function: no namespace). `extra` overrides or adds arguments.
 */
export function execCommandCall(cmd: string, cwd: string, callId: string, extra: Partial<ExecCommandArgs> = {}): OutputItem {
  const args: ExecCommandArgs = { cmd, workdir: cwd, ...EXEC_DEFAULTS, ...extra };
  return { type: 'function_call', call_id: callId, name: 'exec_command', arguments: JSON.stringify(args) };
}

export type ExecOutputProblem = 'unrecognized' | 'not-started' | 'still-running' | 'truncated';

export class ExecOutputError extends Error {
  constructor(
    readonly problem: ExecOutputProblem,
    message: string,
    /** The whole text that could not be taken as a finished command's output. */
    readonly text: string,
  ) {
    super(message);
    this.name = 'ExecOutputError';
  }
}

export interface ExecOutputDetails {
  chunkId: string | null;
  wallTimeSeconds: number;
  /** null while the process is still running (then `sessionId` is set). */
  exitCode: number | null;
  sessionId: number | null;
  originalTokenCount: number | null;
  /** Codex's truncation header was present (the middle of `output` is missing). */
  truncated: boolean;
  /** The output as Codex gave it (with any truncation header and marker). */
  output: string;
}

const HEADER =
  /^(?:Chunk ID: (?<chunk>[^\n]*)\n)?Wall time: (?<wall>\d+(?:\.\d+)?) seconds\n(?:Process exited with code (?<code>-?\d+)\n|Process running with session ID (?<session>\d+)\n)(?:Original token count: (?<tokens>\d+)\n)?Output:\n/;
const TRUNCATION_HEADER = /^Warning: truncated output \(original token count: \d+\)\nTotal output lines: \d+\n\n/;

/** Every field of an exec_command result; throws only on text that is not one. */
export function parseExecOutputDetails(outputText: string): ExecOutputDetails {
  if (typeof outputText !== 'string') {
    throw new ExecOutputError('unrecognized', `exec_command output is not a string: ${JSON.stringify(outputText)}`, String(outputText));
  }
  if (outputText.startsWith('exec_command failed:')) {
    throw new ExecOutputError('not-started', `Codex did not run the command: ${outputText.slice(0, 500)}`, outputText);
  }
  const m = HEADER.exec(outputText);
  if (!m?.groups) {
    throw new ExecOutputError(
      'unrecognized',
      `not an exec_command result (expected "Chunk ID: …\\nWall time: … seconds\\nProcess exited with code N\\n…Output:\\n", Codex ${OBSERVED_CODEX_VERSION}): ${JSON.stringify(outputText.slice(0, 300))}`,
      outputText,
    );
  }
  const g = m.groups;
  const output = outputText.slice(m[0].length);
  return {
    chunkId: g.chunk ?? null,
    wallTimeSeconds: Number(g.wall),
    exitCode: g.code === undefined ? null : Number(g.code),
    sessionId: g.session === undefined ? null : Number(g.session),
    originalTokenCount: g.tokens === undefined ? null : Number(g.tokens),
    truncated: TRUNCATION_HEADER.test(output),
    output,
  };
}

/**
 * The exit code and the whole output of a finished command, from the text Codex returns.
 * Throws an ExecOutputError when the text is not an exec_command result, when Codex did not
 * start the command, when it is still running, and when Codex truncated its output.
 */
export function parseExecOutput(outputText: string): { exitCode: number; output: string } {
  const d = parseExecOutputDetails(outputText);
  if (d.exitCode === null) {
    throw new ExecOutputError(
      'still-running',
      `the command outlived its yield time and is still running (session ${d.sessionId}); output so far: ${JSON.stringify(d.output.slice(0, 300))}`,
      outputText,
    );
  }
  if (d.truncated) {
    throw new ExecOutputError(
      'truncated',
      `Codex truncated the command's output (original token count ${d.originalTokenCount}); print less, or raise max_output_tokens and tool_output_token_limit`,
      outputText,
    );
  }
  return { exitCode: d.exitCode, output: d.output };
}
