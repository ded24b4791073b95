// A local `exec` for the shell workspace: `/bin/sh -c CMD` in `cwd`, stdout and stderr
// combined as they arrive, and the exit code (128 + n for a signal), as Codex reports them.

import { spawn } from 'node:child_process';
import * as os from 'node:os';

export interface ShellExecLog {
  commands: Array<{ cmd: string; cwd: string; exitCode: number; output: string }>;
}

/** `env`: the environment the commands inherit (default this process's). */
export function localExec(log?: ShellExecLog, env?: NodeJS.ProcessEnv) {
  return (cmd: string, cwd: string): Promise<{ exitCode: number; output: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', cmd], { cwd, stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env } : {}) });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.stderr.on('data', (c: Buffer) => chunks.push(c));
      child.on('error', reject);
      child.on('close', (code, signal) => {
        const exitCode = code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0);
        const output = Buffer.concat(chunks).toString('utf8');
        log?.commands.push({ cmd, cwd, exitCode, output });
        resolve({ exitCode, output });
      });
    });
}
