// An `exec` for the shell workspace that has the real Codex run every command with its own
// exec_command tool: one offline app-server, one thread (and one long turn) per session; the
// brain answers each model request with the next queued command and hands the
// function_call_output of the previous one back to its caller. Test support only.

import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { execCommandCall, parseExecOutput } from '../../src/live/exec-command.ts';
import { assistantMessage, type ModelRequest, type OutputItem } from '../../src/live/model-server.ts';
import { startOfflineCodex, type OfflineCodex } from '../../src/live/offline-codex.ts';
import type { TurnResult } from '../../src/live/app-server.ts';

interface Job {
  cmd: string;
  cwd: string;
  resolve(text: string): void;
  reject(err: Error): void;
}

export interface CodexExecSession {
  /** Run one command through Codex; resolves with what parseExecOutput makes of the answer. */
  exec(cmd: string, cwd: string): Promise<{ exitCode: number; output: string }>;
  /** The raw function_call_output text of every command so far. */
  readonly texts: string[];
  /** End the turn (the model says "done") and wait for turn/completed. */
  end(): Promise<TurnResult>;
}

export interface CodexExec {
  codex: OfflineCodex;
  /** A fresh thread in `cwd` (sandbox danger-full-access, approval never) with a turn kept open for commands. */
  session(cwd: string): Promise<CodexExecSession>;
  close(): Promise<void>;
}

export async function startCodexExec(binary: string, opts: { extraToml?: string } = {}): Promise<CodexExec> {
  const queue: Array<Job | 'end'> = [];
  let wake: (() => void) | null = null;
  let pending: { callId: string; job: Job } | null = null;
  let seq = 0;

  const nextJob = async (): Promise<Job | 'end'> => {
    while (queue.length === 0) await new Promise<void>((r) => (wake = r));
    return queue.shift()!;
  };

  const brain = async (request: ModelRequest): Promise<OutputItem[]> => {
    if (pending) {
      const { callId, job } = pending;
      pending = null;
      const out = (request.input as Array<{ type?: string; call_id?: string; output?: unknown }>).find(
        (i) => i.type === 'function_call_output' && i.call_id === callId,
      );
      if (out === undefined) job.reject(new Error(`codex exec: request ${request.index} lacks the output of ${callId}`));
      else job.resolve(typeof out.output === 'string' ? out.output : JSON.stringify(out.output));
    }
    const job = await nextJob();
    if (job === 'end') return [assistantMessage('done')];
    const callId = `call_sh_${++seq}`;
    pending = { callId, job };
    return [execCommandCall(job.cmd, job.cwd, callId)];
  };

  const codex = await startOfflineCodex({ binary, brain, requestTimeoutMs: 60_000, extraToml: opts.extraToml });
  const push = (item: Job | 'end') => {
    queue.push(item);
    const w = wake;
    wake = null;
    w?.();
  };

  return {
    codex,
    async session(cwd) {
      const { thread } = await codex.app.threadStart({ cwd, sandbox: 'danger-full-access', approvalPolicy: 'never' });
      const turn = codex.app.runTurn(thread.id, 'Run the commands.', { timeoutMs: 30 * 60_000 });
      // A turn that ends early (a failed model request) must not leave callers waiting.
      void turn.then(
        (r) => failAll(new Error(`codex exec: the turn ended (${r.turn.status}) ${JSON.stringify(r.turn.error)}`)),
        (err: Error) => failAll(err),
      );
      const texts: string[] = [];
      let ended = false;
      return {
        texts,
        exec: (cmd, dir) =>
          new Promise<string>((resolve, reject) => {
            if (ended) return reject(new Error('codex exec: session ended'));
            push({ cmd, cwd: dir, resolve, reject });
          }).then((text) => {
            texts.push(text);
            return parseExecOutput(text);
          }),
        end: async () => {
          ended = true;
          push('end');
          return turn;
        },
      };
    },
    close: () => codex.close(),
  };

  function failAll(err: Error): void {
    if (pending) {
      pending.job.reject(err);
      pending = null;
    }
    for (const job of queue.splice(0)) if (job !== 'end') job.reject(err);
  }
}

export async function scratchDir(prefix: string): Promise<string> {
  return fsp.mkdtemp(path.join(os.tmpdir(), prefix));
}
