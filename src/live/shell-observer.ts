import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFileOwned } from '../core/teardown.ts';
import type { TurnContext } from '../ports/agent.ts';
import { parseWorktreePorcelain } from '../workspace/git-output.ts';
import { shellQuote } from '../workspace/shell.ts';
import { parseExecOutputDetails } from './exec-command.ts';
import type { ModelRequest } from './model-server.ts';

// What a leader whose commands we do not write ourselves (a recorded or a real model) did in its
// shell, made checkable: every command Codex reports executing is recorded, and so are the
// effects it left on disk that the invariants read: journal writes, the git exclude file, merges
// into the integration branch, worktrees removed, the verification command, reports and diffs
// read. Effects are observed, not guessed from the command text, except reads (which leave none).

export interface ObservedCommand {
  command: string;
  cwd: string;
  exitCode: number | null;
}

interface Snapshot {
  journal: string | null;
  exclude: string;
  tip: string;
  integration: string;
  worktrees: Set<string>;
}

/** Watches the commands one thread runs in its shell (from the model requests its Codex thread sends). */
export abstract class CommandWatcher {
  private seen = new Set<string>();

  /**
   * The exec_command calls whose outputs are new in this model request, observed in order. A
   * model request is a point where Codex waits and the World stands still: observing here, not
   * on Codex's notifications (which arrive at moments real time decides), keeps a run repeatable.
   */
  async observeRequest(ctx: TurnContext, req: ModelRequest, defaultCwd: string): Promise<void> {
    const input = req.input as Array<{ type?: string; name?: string; call_id?: string; arguments?: string; output?: unknown }>;
    for (const item of input) {
      if (item.type !== 'function_call_output' || !item.call_id || this.seen.has(item.call_id)) continue;
      const call = input.find((x) => x.type === 'function_call' && x.call_id === item.call_id);
      if (call?.name !== 'exec_command') continue;
      this.seen.add(item.call_id);
      let args: { cmd?: string; workdir?: string } = {};
      try {
        args = JSON.parse(call.arguments ?? '{}');
      } catch {
        args = {};
      }
      let exitCode: number | null = null;
      try {
        exitCode = parseExecOutputDetails(typeof item.output === 'string' ? item.output : JSON.stringify(item.output)).exitCode ?? null;
      } catch {
        exitCode = null;
      }
      await this.observe(ctx, { command: args.cmd ?? '', cwd: args.workdir ?? defaultCwd, exitCode });
    }
  }

  /** Record one executed command and what changed because of it. */
  abstract observe(ctx: TurnContext, cmd: ObservedCommand): Promise<void>;
}

function gitIn(root: string, args: string[]): Promise<string> {
  return execFileOwned('git', ['-C', root, ...args], {
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  }).then((r) => r.stdout);
}

/**
 * A worker whose model is not ours (a live run): what its commands left in its worktree that the
 * invariants read. Each new commit on its branch (with the files it changed) and each write of
 * its report. Writes outside its worktree are not seen: a shell can write anywhere, and only a
 * whole-disk watch would catch it.
 */
export class WorkerShellObserver extends CommandWatcher {
  private last: { tip: string; report: string | null } | null = null;

  constructor(
    private readonly dir: string,
    private readonly reportPath: string,
  ) {
    super();
  }

  private async snapshot(): Promise<{ tip: string; report: string | null }> {
    const tip = (await gitIn(this.dir, ['rev-parse', 'HEAD']).catch(() => '')).trim();
    const report = await readFile(join(this.dir, this.reportPath), 'utf8').catch(() => null);
    return { tip, report };
  }

  async observe(ctx: TurnContext, cmd: ObservedCommand): Promise<void> {
    const before = this.last ?? (await this.snapshot());
    const after = await this.snapshot();
    this.last = after;
    ctx.record({ op: 'exec', dir: cmd.cwd, detail: `${cmd.command.slice(0, 200)} -> exit ${cmd.exitCode ?? '?'}` });
    if (after.report !== null && after.report !== before.report) {
      ctx.record({ op: 'writeFile', dir: this.dir, paths: [this.reportPath], content: after.report });
    }
    if (after.tip && before.tip && after.tip !== before.tip) {
      // Every commit since the last command, oldest first (a script may commit twice).
      const shas = (await gitIn(this.dir, ['rev-list', '--reverse', `${before.tip}..${after.tip}`]).catch(() => '')).split('\n').filter(Boolean);
      for (const sha of shas) {
        const paths = (await gitIn(this.dir, ['diff-tree', '--root', '--no-commit-id', '--name-only', '-r', sha])).split('\n').filter(Boolean);
        ctx.record({ op: 'commitAll', dir: this.dir, paths, sha });
      }
    }
  }
}

export class ShellObserver extends CommandWatcher {
  private last: Snapshot | null = null;

  constructor(
    private readonly root: string,
    private readonly journalPath: string,
    private readonly reportPath: string,
    /** Logical verification command -> its shell form, to recognise a run of it. */
    private readonly verify: Record<string, string>,
  ) {
    super();
  }

  private git(args: string[]): Promise<string> {
    return gitIn(this.root, args);
  }

  /**
   * What the leader's commands may have changed, after each one: one git process (the worktree
   * list names the main checkout's commit and branch too). The branches are listed only when the
   * main checkout moved, to name what was merged.
   */
  private async snapshot(): Promise<Snapshot> {
    const journal = await readFile(join(this.root, this.journalPath), 'utf8').catch(() => null);
    const exclude = await readFile(join(this.root, '.git', 'info', 'exclude'), 'utf8').catch(() => '');
    const [main, ...linked] = parseWorktreePorcelain(await this.git(['worktree', 'list', '--porcelain']));
    return {
      journal,
      exclude,
      tip: main?.head ?? '',
      integration: main?.branch ?? '',
      worktrees: new Set(linked.map((w) => w.path)),
    };
  }

  /** [sha, branch] for every branch (several branches may share a commit). */
  private async branches(): Promise<[string, string][]> {
    return (await this.git(['for-each-ref', '--format=%(objectname) %(refname:short)', 'refs/heads']))
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ') as [string, string]);
  }

  /** Record one executed command and what changed because of it. */
  async observe(ctx: TurnContext, cmd: ObservedCommand): Promise<void> {
    const before = this.last ?? (await this.snapshot());
    const after = await this.snapshot();
    this.last = after;
    const text = cmd.command;
    ctx.record({ op: 'exec', dir: cmd.cwd, detail: `${text.slice(0, 200)} -> exit ${cmd.exitCode ?? '?'}` });
    if (text.includes(this.reportPath)) {
      const dir = [...before.worktrees].find((d) => text.includes(d)) ?? cmd.cwd;
      ctx.record({ op: 'readFile', dir, paths: [this.reportPath] });
    }
    if (/(^|\s)(git|g)\s[^\n]*\bdiff\b/m.test(text)) ctx.record({ op: 'changedFiles', dir: '', detail: 'git diff' });
    if (after.exclude !== before.exclude) {
      const added = after.exclude.split('\n').filter((l) => l && !before.exclude.split('\n').includes(l));
      for (const pattern of added) ctx.record({ op: 'addExclude', dir: this.root, detail: pattern });
    }
    if (after.journal !== null && after.journal !== before.journal) {
      ctx.record({ op: 'writeFile', dir: this.root, paths: [this.journalPath], content: after.journal });
    }
    if (after.tip !== before.tip) {
      const parents = (await this.git(['rev-list', '--parents', '-n', '1', after.tip])).trim().split(' ').slice(1);
      const merged = parents.length === 2 ? parents[1]! : after.tip;
      const branch = (await this.branches()).find(([sha, name]) => sha === merged && name !== after.integration)?.[1];
      if (branch) ctx.record({ op: 'merge', dir: this.root, ref: branch, sha: after.tip, detail: parents.length === 2 ? 'merged' : 'fast-forward' });
    }
    for (const dir of before.worktrees) if (!after.worktrees.has(dir)) ctx.record({ op: 'worktreeRemove', dir });
    // A script that changes directory (to a literal path) runs its command there.
    const cds = [...text.matchAll(/(?:^|\n|;|&&)\s*cd\s+(?:'([^'$]+)'|([^\s;&'"$]+))/g)];
    const last = cds.at(-1);
    const where = last ? (last[1] ?? last[2]!) : cmd.cwd;
    for (const [logical, shell] of Object.entries(this.verify)) {
      if (
        text.includes(shell) ||
        text.includes(shellQuote(shell)) ||
        new RegExp(`(^|[;&|\\s])${logical.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[;&|\\s])`).test(text)
      ) {
        ctx.record({ op: 'run', dir: where, detail: `${logical} -> exit ${cmd.exitCode ?? '?'}` });
      }
    }
  }
}
