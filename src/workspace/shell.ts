// The workspace port through nothing but shell command strings: every operation is one
// `sh -c`-compatible script handed to `exec`, and all that comes back is one combined
// output string and an exit code. In live runs `exec` is "have Codex run this through its
// exec_command tool" (exec-command.ts), so this is the workspace a real Codex worker sees.
//
// It behaves like the disk workspace (disk-workspace.ts): the same refusals, checked inside
// the same script before git acts, reported as the same WorkspaceError codes. disk-workspace.ts
// exports no helpers, so the few pieces of its logic needed here (parsing `--name-status -z`,
// `worktree list --porcelain`, `log -z`, the worktree ordering) are duplicated, not shared.
//
// How a script talks back. Everything the TypeScript side reads is a *record* line:
//
//     @@TT@@ <key> <base64 of the value>
//
// printed on a line of its own (a newline before and after), so stray text around it (a login
// profile, git warnings, the user's command) cannot be mistaken for data, and values with any
// bytes (NULs from `-z`, newlines in paths or messages) travel safely. Outputs with NULs go
// through a temp file first so a failing git is not hidden by a pipeline. A script ends with
// `@@TT@@ done`; a refusal prints a `refuse` record (the code) and `msg`, then stops. No
// `done` (or a non-zero exit) means the script failed unexpectedly: an Error with the output.
// stderr is merged into stdout at the top of every script (`exec 2>&1`): Codex reads the two
// streams from separate pipes and does not keep their relative order, one stream keeps it.
//
// File contents travel as base64 both ways (`printf '%s' B64 | base64 -d > file` and
// `base64 < file`), so every byte round-trips: quotes, `$`, backticks, CR, no trailing
// newline, unicode. Other strings (paths, branch names, messages, commands) are single-quoted
// (`'` -> `'\''`), which is exact in sh for any text without NUL.
//
// Two transport limits are handled by splitting, not by hoping:
// - A command is one argv string (`sh -c SCRIPT`, or `bash -lc SCRIPT` inside Codex) and
//   Linux caps one argument at 128 KiB. Writes whose base64 would push a script past
//   `maxCommandBytes` are spread over several scripts (`>` then `>>`).
// - Codex truncates what a command prints (the middle goes; see exec-command.ts). readFile
//   reads a file larger than `maxOutputBytes` allows in several slices and checks the length;
//   `run` keeps the head and the tail of a longer command output (with a note of what was
//   cut) and always its exit code. Other outputs (status, log, file lists) are not paged: they
//   are small in practice, and a truncated one is caught by the transport (parseExecOutput
//   throws on Codex's truncation header), never parsed as if whole.
//
// Codex refuses, with approval policy `never`, any command containing `rm -f` / `rm -rf`
// (openai/codex#10048; observed with 0.163.0 even under danger-full-access), so no script
// here uses them: files are removed with a plain `rm --` after a test.
//
// Git runs with no user or system config, no hooks, a fixed identity and the C locale, set
// inline on every git call (`g`), and every inherited GIT_* variable is unset first. With a
// `clock`, commits and merges also get `GIT_AUTHOR_DATE`/`GIT_COMMITTER_DATE` = `@<s> +0000`,
// so the same operations at the same clock give the same SHAs anywhere.

import { posix } from 'node:path';
import {
  WorkspaceError,
  type CommandResult,
  notAllowed,
  type CommitInfo,
  type FileChange,
  type MergeResult,
  type Sha,
  type Workspace,
  type WorktreeInfo,
} from '../ports/workspace.ts';
import { actLine, MARK, parseRecords, type Records, type ShellAct } from './shell-acts.ts';
import { lines, orderWorktrees, parseNameStatus, parseWorktreePorcelain } from './git-output.ts';
import { DEFAULT_AUTHOR, INITIAL_COMMIT_MESSAGE, checkoutPath, sortedChanges, sortedStrings } from './checkout-paths.ts';

/** Run one shell script (sh syntax) with `cwd` as working directory; combined output and exit code. */
export type ShellExec = (cmd: string, cwd: string) => Promise<{ exitCode: number; output: string }>;

export interface ShellWorkspaceOptions {
  /** Absolute directory of the main checkout (created by `init`). */
  root: string;
  exec: ShellExec;
  /** Logical command -> shell command for `run`. A command not listed is refused (exit 127)... */
  commands?: Record<string, string>;
  /** ...unless this is set: then it runs as given, in a shell (`--allow-exec`). */
  allowExec?: boolean;
  /** Unix seconds for commit dates (author and committer); default: git's own clock. */
  clock?: () => number;
  author?: { name: string; email: string };
  /** Working directory handed to `exec` (scripts use absolute paths). Default `/`, which always exists. */
  cwd?: string;
  /** Longest script to hand to `exec` when it carries file contents. Default 100 000 bytes (Linux allows 128 KiB per argument). */
  maxCommandBytes?: number;
  /** Most output one script may produce: larger files are read in slices, a longer `run` output
   *  keeps its head and tail. Default 8 000 bytes: under the 10 000 bytes of a tool output Codex
   *  shows a model it does not know. */
  maxOutputBytes?: number;
}

export function createShellWorkspace(opts: ShellWorkspaceOptions): Workspace {
  return new ShellWorkspace(opts);
}

/** A string as one sh word, exactly: single quotes, `'` as `'\''`. */
export function shellQuote(text: string): string {
  if (text.includes('\0')) throw new Error('a shell word cannot hold a NUL character');
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

const q = shellQuote;
const WORKSPACE_CODES = new Set<WorkspaceError['code']>([
  'not-a-checkout',
  'dir-exists',
  'branch-exists',
  'branch-checked-out',
  'unknown-ref',
  'dirty',
  'merge-in-progress',
  'no-merge-in-progress',
  'unknown-command',
  'outside-checkout',
]);

// ---- script helpers ----------------------------------------------------------------------
// Shell functions a script may use; each script carries only the ones it needs (and what
// those need). None may be called inside `$(…)` or a pipeline when it can `exit`.

type Helper = 'g' | 'put' | 'refuse' | 'ok' | 'repo' | 'co' | 'mip' | 'dirty' | 'res' | 'bx' | 'holder' | 'emit' | 'wf' | 'af' | 'real';

const NEEDS: Record<Helper, Helper[]> = {
  g: [],
  put: [],
  refuse: ['put'],
  ok: [],
  repo: ['refuse'],
  co: ['g', 'refuse'],
  mip: ['g'],
  dirty: ['g'],
  res: ['g', 'refuse'],
  bx: ['g'],
  holder: ['g'],
  emit: ['put'],
  wf: [],
  af: [],
  real: [],
};

const ORDER: Helper[] = ['g', 'put', 'refuse', 'ok', 'real', 'repo', 'co', 'mip', 'dirty', 'res', 'bx', 'holder', 'emit', 'wf', 'af'];

interface ScriptParts {
  helpers: Helper[];
  /** Set GIT_AUTHOR_DATE / GIT_COMMITTER_DATE from the clock (commits and merges). */
  dates?: boolean;
  /** A temp file `$T` (removed on exit) for outputs with NULs. */
  temp?: boolean;
  /** The operation, announced in the output before anything is done (shell-acts.ts). */
  act?: ShellAct;
}

function tail(text: string, max = 2000): string {
  const t = text.trim();
  return t.length <= max ? t : `…${t.slice(-max)}`;
}

interface Write {
  dir: string;
  file: string;
  b64: string;
}

class ShellWorkspace implements Workspace {
  readonly root: string;
  private readonly exec: ShellExec;
  private readonly commands: Record<string, string>;
  private readonly allowExec: boolean;
  private readonly clock: (() => number) | undefined;
  private readonly author: { name: string; email: string };
  private readonly cwd: string;
  private readonly maxCommandBytes: number;
  private readonly maxOutputBytes: number;
  /** Linked worktrees added through this object, in creation order (git lists them by path). */
  private readonly added: string[] = [];

  constructor(opts: ShellWorkspaceOptions) {
    if (!posix.isAbsolute(opts.root)) throw new Error(`shell workspace root must be absolute: ${opts.root}`);
    this.root = posix.resolve(opts.root);
    this.exec = opts.exec;
    this.commands = opts.commands ?? {};
    this.allowExec = opts.allowExec ?? false;
    this.clock = opts.clock;
    this.author = opts.author ?? DEFAULT_AUTHOR;
    this.cwd = opts.cwd ?? '/';
    this.maxCommandBytes = opts.maxCommandBytes ?? 100_000;
    this.maxOutputBytes = opts.maxOutputBytes ?? 8_000;
  }

  // ---- repository and worktrees -------------------------------------------------------

  async init(files: Record<string, string>, branch: string): Promise<Sha> {
    const R = q(this.root);
    const writes: Write[] = Object.entries(files).map(([p, content]) => {
      const rel = checkoutPath(p);
      return { dir: posix.dirname(posix.join(this.root, rel)), file: posix.join(this.root, rel), b64: b64(content) };
    });
    const parts: ScriptParts = { helpers: ['g', 'put', 'refuse', 'ok', 'wf', 'af'], dates: true };
    const head = [
      `if [ -e ${R}/.git ] || [ -L ${R}/.git ]; then refuse dir-exists ${q(`${this.root} already holds a repository`)}; fi`,
      `mkdir -p ${R}`,
      `g -C ${R} init -q --initial-branch=${q(branch)}`,
    ].join('\n');
    const tailBody = [`g -C ${R} add -A`, `g -C ${R} commit -q --allow-empty -m ${q(INITIAL_COMMIT_MESSAGE)}`, `put sha "$(g -C ${R} rev-parse HEAD)"`].join(
      '\n',
    );
    const records = await this.packed('init', parts, head, writes, tailBody);
    return records.need('sha', 'init').trim();
  }

  async worktreeAdd(dir: string, branch: string, base: string): Promise<Sha> {
    if (!posix.isAbsolute(dir)) throw new WorkspaceError('outside-checkout', `worktree dir ${dir} is not absolute`);
    const target = posix.resolve(dir);
    const T = q(target);
    const records = await this.script(
      'worktreeAdd',
      { helpers: ['repo', 'res', 'bx', 'put', 'ok'], act: { op: 'worktreeAdd', dir, ref: branch, detail: `base ${base}` } },
      [
        'repo',
        `if [ -e ${T} ] || [ -L ${T} ]; then refuse dir-exists ${q(`${target} already exists`)}; fi`,
        validBranchName(branch) ? `if bx ${q(branch)}; then refuse branch-exists ${q(`branch ${branch} already exists`)}; fi` : '',
        this.resolveLine('B', base),
        `g -C "$R" worktree add -q -b ${q(branch)} ${T} "$B"`,
        'put sha "$B"',
      ],
    );
    this.added.push(target);
    return records.need('sha', 'worktreeAdd');
  }

  async worktreeRemove(dir: string, opts: { force?: boolean } = {}): Promise<void> {
    const d = this.dirOf(dir);
    await this.script(
      'worktreeRemove',
      { helpers: ['co', 'mip', 'dirty', 'ok'], act: { op: 'worktreeRemove', dir, ...(opts.force ? { detail: 'force' } : {}) } },
      [
        this.coLine(dir),
        `if [ "$MAIN" = 1 ]; then refuse not-a-checkout ${q(`${dir} is the main checkout, not a linked worktree`)}; fi`,
        opts.force ? '' : `if mip ${q(d)} || dirty ${q(d)}; then refuse dirty ${q(`${dir} has uncommitted changes; remove it with force`)}; fi`,
        `g -C "$R" worktree remove ${opts.force ? '--force ' : ''}${q(d)}`,
      ],
    );
    const at = this.added.indexOf(d);
    if (at >= 0) this.added.splice(at, 1);
  }

  async worktrees(): Promise<WorktreeInfo[]> {
    const records = await this.script('worktrees', { helpers: ['repo', 'g', 'emit', 'real', 'ok'], temp: true }, [
      'repo',
      // NUL-separated, since a path may hold a newline: a git older than 2.36 knows no -z, and
      // its lines are made so (read whole first, so that its failure is not hidden behind tr's
      // success; `$(…)` drops the blank line that ends the last entry, so it is put back). Each
      // listed path's real path follows, NUL-separated too.
      `wl() { g -C "$R" worktree list --porcelain -z 2>/dev/null && return; l=$(g -C "$R" worktree list --porcelain) || return $?; printf '%s\\n\\n' "$l" | tr '\\n' '\\0'; }`,
      'emit list wl',
      `printf '\\n${MARK} listed-reals '; xargs -0 sh -c 'for f; do case $f in "worktree "*) p=\${f#worktree }; (cd "$p" 2>/dev/null && pwd -P) || printf %s "$p"; printf "\\0";; esac; done' sh <"$T" | base64 | tr -d '\\n'; printf '\\n'`,
      ...this.added.map((d) => `put added-real "$(real ${q(d)})"`),
    ]);
    const listed = parsePorcelain(records.need('list', 'worktrees'));
    const reals = records.need('listed-reals', 'worktrees').split('\0');
    listed.forEach((w, i) => {
      w.real = reals[i] ?? w.path;
    });
    const addedReals = records.all('added-real');
    return orderWorktrees(
      this.root,
      listed,
      this.added.map((dir, i) => ({ dir, real: addedReals[i] ?? dir })),
    );
  }

  // ---- refs ---------------------------------------------------------------------------

  async branches(): Promise<string[]> {
    const records = await this.script('branches', { helpers: ['repo', 'emit', 'g', 'ok'], temp: true }, [
      'repo',
      `emit refs g -C "$R" for-each-ref '--format=%(refname:short)' refs/heads/`,
    ]);
    return sortedStrings(lines(records.need('refs', 'branches')));
  }

  async resolve(ref: string): Promise<Sha> {
    const records = await this.script('resolve', { helpers: ['repo', 'res', 'put', 'ok'] }, ['repo', this.resolveLine('S', ref), 'put sha "$S"']);
    return records.need('sha', 'resolve');
  }

  async currentBranch(dir: string): Promise<string | null> {
    const records = await this.script('currentBranch', { helpers: ['co', 'put', 'ok'] }, [
      this.coLine(dir),
      `if b=$(g -C ${q(this.dirOf(dir))} symbolic-ref --quiet --short HEAD); then put branch "$b"; else c=$?; [ $c -eq 1 ] || exit $c; fi`,
    ]);
    return records.get('branch') ?? null;
  }

  async setBranch(branch: string, sha: Sha): Promise<void> {
    // update-ref, not `branch -f`: a fault moves the ref under a checkout, as git allows.
    await this.script('setBranch', { helpers: ['repo', 'res', 'ok'], act: { op: 'setBranch', dir: '', ref: branch } }, [
      'repo',
      this.resolveLine('S', sha),
      `g -C "$R" update-ref ${q(`refs/heads/${branch}`)} "$S"`,
    ]);
  }

  async deleteBranch(branch: string): Promise<void> {
    const b = q(branch);
    await this.script('deleteBranch', { helpers: ['repo', 'bx', 'holder', 'refuse', 'ok'], act: { op: 'deleteBranch', dir: '', ref: branch } }, [
      'repo',
      validBranchName(branch) ? `bx ${b} || refuse unknown-ref ${q(`no branch ${branch}`)}` : `refuse unknown-ref ${q(`no branch ${branch}`)}`,
      `h=$(holder ${b})`,
      `if [ -n "$h" ]; then refuse branch-checked-out ${q(`branch ${branch} is checked out at {}`)} "$h"; fi`,
      `g -C "$R" branch -q -D ${b}`,
    ]);
  }

  // ---- files --------------------------------------------------------------------------

  async readFile(dir: string, p: string): Promise<string | null> {
    const rel = this.pathOf(p);
    const d = this.dirOf(dir);
    const file = rel === null ? '' : posix.join(d, rel);
    const F = q(file);
    const slice = this.readSliceBytes();
    const records = await this.script('readFile', { helpers: ['co', 'put', 'ok'], act: { op: 'readFile', dir, paths: [p] } }, [
      this.coLine(dir),
      this.pathRefusal(p, rel),
      `if [ -f ${F} ]; then`,
      `  n=$(wc -c <${F} | tr -d ' ')`,
      '  put size "$n"',
      Number.isFinite(slice)
        ? `  if [ "$n" -le ${slice} ]; then printf '\\n${MARK} content '; base64 <${F} | tr -d '\\n'; printf '\\n'; fi`
        : `  printf '\\n${MARK} content '; base64 <${F} | tr -d '\\n'; printf '\\n'`,
      'else put missing ""; fi',
    ]);
    if (records.has('missing')) return null;
    const size = Number(records.need('size', 'readFile').trim());
    let content = records.buf('content');
    if (content === undefined) {
      const chunks: Buffer[] = [];
      for (let offset = 0; offset < size; offset += slice) {
        const part = await this.script('readFile (slice)', { helpers: ['ok'] }, [
          `printf '\\n${MARK} chunk '; tail -c +${offset + 1} ${F} | head -c ${slice} | base64 | tr -d '\\n'; printf '\\n'`,
        ]);
        chunks.push(part.buf('chunk') ?? Buffer.alloc(0));
      }
      content = Buffer.concat(chunks);
    }
    if (content.length !== size) {
      throw new Error(`shell workspace: readFile ${file}: got ${content.length} bytes, expected ${size} (output truncated, or the file changed while read)`);
    }
    return content.toString('utf8');
  }

  async writeFile(dir: string, p: string, content: string): Promise<void> {
    const rel = this.pathOf(p);
    const d = this.dirOf(dir);
    const head = [this.coLine(dir), this.pathRefusal(p, rel)].join('\n');
    const writes: Write[] = rel === null ? [] : [{ dir: posix.dirname(posix.join(d, rel)), file: posix.join(d, rel), b64: b64(content) }];
    await this.packed('writeFile', { helpers: ['co', 'wf', 'af', 'ok'], act: { op: 'writeFile', dir, paths: [p] } }, head, writes, '');
  }

  async removeFile(dir: string, p: string): Promise<void> {
    const rel = this.pathOf(p);
    const F = q(rel === null ? '' : posix.join(this.dirOf(dir), rel));
    // A plain `rm` after a test: Codex refuses commands with `rm -f` (see the header).
    await this.script('removeFile', { helpers: ['co', 'ok'], act: { op: 'removeFile', dir, paths: [p] } }, [
      this.coLine(dir),
      this.pathRefusal(p, rel),
      `if [ -e ${F} ] || [ -L ${F} ]; then rm -- ${F}; fi`,
    ]);
  }

  async listFiles(dir: string): Promise<string[]> {
    const records = await this.script('listFiles', { helpers: ['co', 'emit', 'ok'], temp: true }, [
      this.coLine(dir),
      `cd ${q(this.dirOf(dir))}`,
      `emit files find . -path ./.git -prune -o -type f -print0`,
    ]);
    const files = nulSplit(records.need('files', 'listFiles')).map((f) => f.replace(/^\.\//, ''));
    return sortedStrings(files);
  }

  async status(dir: string): Promise<FileChange[]> {
    const D = q(this.dirOf(dir));
    // HEAD against the working tree (staged or not), then untracked files not excluded.
    const records = await this.script('status', { helpers: ['co', 'emit', 'ok'], temp: true }, [
      this.coLine(dir),
      `emit tracked g -C ${D} diff HEAD --name-status --no-renames -z`,
      `emit untracked g -C ${D} ls-files --others --exclude-standard -z`,
    ]);
    const changes = parseNameStatus(records.need('tracked', 'status'));
    for (const p of nulSplit(records.need('untracked', 'status'))) changes.push({ path: p, kind: 'added' });
    return sortedChanges(changes);
  }

  // ---- history ------------------------------------------------------------------------

  async commitAll(dir: string, message: string): Promise<Sha | null> {
    const D = q(this.dirOf(dir));
    const records = await this.script('commitAll', { helpers: ['co', 'mip', 'put', 'ok'], dates: true, act: { op: 'commitAll', dir, detail: message } }, [
      this.coLine(dir),
      this.mipRefusal(dir, 'commit'),
      `g -C ${D} add -A`,
      `if g -C ${D} diff --cached --quiet; then put nothing ""; ok; else c=$?; [ $c -eq 1 ] || exit $c; fi`,
      `g -C ${D} commit -q --no-verify -m ${q(message)}`,
      `put sha "$(g -C ${D} rev-parse HEAD)"`,
    ]);
    if (records.has('nothing')) return null;
    return records.need('sha', 'commitAll');
  }

  async changedFiles(from: string, to: string): Promise<FileChange[]> {
    const records = await this.script(
      'changedFiles',
      { helpers: ['repo', 'res', 'emit', 'ok'], temp: true, act: { op: 'changedFiles', dir: '', ref: `${from}..${to}` } },
      ['repo', this.resolveLine('A', from), this.resolveLine('B', to), 'emit changes g -C "$R" diff --name-status --no-renames -z "$A" "$B"'],
    );
    return sortedChanges(parseNameStatus(records.need('changes', 'changedFiles')));
  }

  async log(ref: string, limit?: number): Promise<CommitInfo[]> {
    const n = limit === undefined ? '' : ` -n${Math.trunc(limit)}`;
    const records = await this.script('log', { helpers: ['repo', 'res', 'emit', 'ok'], temp: true }, [
      'repo',
      this.resolveLine('S', ref),
      `emit log g -C "$R" log -z '--format=%H%x1f%P%x1f%B'${n} "$S"`,
    ]);
    return records
      .need('log', 'log')
      .split('\0')
      .filter((record) => record.trim() !== '')
      .map((record) => {
        const [commit = '', parents = '', body = ''] = record.split('\x1f');
        return { sha: commit.trim(), message: body.replace(/\n+$/, ''), parents: parents.split(' ').filter(Boolean) };
      });
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const records = await this.script('isAncestor', { helpers: ['repo', 'res', 'put', 'ok'] }, [
      'repo',
      this.resolveLine('A', ancestor),
      this.resolveLine('D', descendant),
      `if g -C "$R" merge-base --is-ancestor "$A" "$D"; then put yes ""; else c=$?; [ $c -eq 1 ] || exit $c; fi`,
    ]);
    return records.has('yes');
  }

  async mergeBase(a: string, b: string): Promise<Sha | null> {
    const records = await this.script('mergeBase', { helpers: ['repo', 'res', 'put', 'ok'] }, [
      'repo',
      this.resolveLine('A', a),
      this.resolveLine('B', b),
      `if m=$(g -C "$R" merge-base "$A" "$B"); then put sha "$m"; else c=$?; [ $c -eq 1 ] || exit $c; fi`,
    ]);
    return records.get('sha')?.trim() ?? null;
  }

  // ---- merging and checkout ------------------------------------------------------------

  async merge(dir: string, ref: string, message: string): Promise<MergeResult> {
    const D = q(this.dirOf(dir));
    const records = await this.script(
      'merge',
      { helpers: ['co', 'mip', 'dirty', 'res', 'bx', 'emit', 'put', 'ok'], dates: true, temp: true, act: { op: 'merge', dir, ref } },
      [
        this.coLine(dir),
        this.mipRefusal(dir, 'merge'),
        this.dirtyRefusal(dir, 'merge'),
        this.resolveLine('THEIRS', ref),
        `OURS=$(g -C ${D} rev-parse HEAD)`,
        `if g -C "$R" merge-base --is-ancestor "$THEIRS" "$OURS"; then put kind up-to-date; put sha "$OURS"; ok; else c=$?; [ $c -eq 1 ] || exit $c; fi`,
        `FF=merged; if g -C "$R" merge-base --is-ancestor "$OURS" "$THEIRS"; then FF=fast-forward; else c=$?; [ $c -eq 1 ] || exit $c; fi`,
        // By branch name when it is one, so conflict markers and messages name it as git would.
        `ARG=$THEIRS`,
        validBranchName(ref) ? `if bx ${q(ref)}; then ARG=${q(ref)}; fi` : '',
        `if g -C ${D} merge --no-edit -m ${q(message)} "$ARG" >"$T"; then put kind "$FF"; put sha "$(g -C ${D} rev-parse HEAD)"; ok; else c=$?; [ $c -eq 1 ] || { cat "$T"; exit $c; }; fi`,
        `put mergeout "$(cat "$T")"`,
        `emit conflicts g -C ${D} diff --name-only --diff-filter=U -z`,
      ],
    );
    const kind = records.get('kind');
    if (kind === 'up-to-date' || kind === 'fast-forward' || kind === 'merged') return { kind, sha: records.need('sha', 'merge') };
    const paths = sortedStrings(nulSplit(records.need('conflicts', 'merge')));
    if (paths.length === 0) {
      throw new Error(`git merge ${ref} in ${this.dirOf(dir)} failed: ${(records.get('mergeout') ?? '').trim()}`);
    }
    return { kind: 'conflict', paths };
  }

  async commitMerge(dir: string, message: string): Promise<Sha> {
    const D = q(this.dirOf(dir));
    const records = await this.script('commitMerge', { helpers: ['co', 'mip', 'put', 'ok'], dates: true, act: { op: 'commitMerge', dir } }, [
      this.coLine(dir),
      `mip ${D} || refuse no-merge-in-progress ${q(`no merge in progress in ${dir}`)}`,
      `g -C ${D} add -A`,
      `g -C ${D} commit -q --no-verify -m ${q(message)}`,
      `put sha "$(g -C ${D} rev-parse HEAD)"`,
    ]);
    return records.need('sha', 'commitMerge');
  }

  async abortMerge(dir: string): Promise<void> {
    const D = q(this.dirOf(dir));
    await this.script('abortMerge', { helpers: ['co', 'mip', 'ok'], act: { op: 'abortMerge', dir } }, [
      this.coLine(dir),
      `mip ${D} || refuse no-merge-in-progress ${q(`no merge in progress in ${dir}`)}`,
      `g -C ${D} merge --abort`,
    ]);
  }

  async discardChanges(dir: string): Promise<void> {
    const D = q(this.dirOf(dir));
    await this.script('discardChanges', { helpers: ['co', 'mip', 'ok'], act: { op: 'discardChanges', dir } }, [
      this.coLine(dir),
      this.mipRefusal(dir, 'discardChanges'),
      `g -C ${D} reset --hard -q`,
      // -fd without -x: excluded files (journal, notes, reports) stay.
      `g -C ${D} clean -fdq`,
    ]);
  }

  async mergeInProgress(dir: string): Promise<boolean> {
    const records = await this.script('mergeInProgress', { helpers: ['co', 'mip', 'put', 'ok'] }, [
      this.coLine(dir),
      `if mip ${q(this.dirOf(dir))}; then put yes ""; fi`,
    ]);
    return records.has('yes');
  }

  async checkout(dir: string, ref: string): Promise<void> {
    const D = q(this.dirOf(dir));
    const R = q(ref);
    await this.script('checkout', { helpers: ['co', 'mip', 'dirty', 'res', 'bx', 'holder', 'real', 'ok'], act: { op: 'checkout', dir, ref } }, [
      this.coLine(dir),
      this.mipRefusal(dir, 'checkout'),
      this.dirtyRefusal(dir, 'checkout'),
      validBranchName(ref) ? `if bx ${R}; then` : 'if false; then',
      `  h=$(holder ${R})`,
      `  if [ -n "$h" ] && [ "$(real "$h")" != "$CR" ]; then refuse branch-checked-out ${q(`branch ${ref} is checked out at {}`)} "$h"; fi`,
      `  g -C ${D} checkout -q ${R} --`,
      'else',
      `  ${this.resolveLine('S', ref)}`,
      `  g -C ${D} checkout -q --detach "$S" --`,
      'fi',
    ]);
  }

  // ---- excludes and commands ------------------------------------------------------------

  async excludeFile(dir: string): Promise<string> {
    const records = await this.script('excludeFile', { helpers: ['co', 'put', 'ok'] }, [
      this.coLine(dir),
      `put path "$(g -C ${q(this.dirOf(dir))} rev-parse --git-path info/exclude)"`,
    ]);
    return posix.resolve(this.dirOf(dir), records.need('path', 'excludeFile').trim());
  }

  async addExclude(dir: string, pattern: string): Promise<void> {
    const D = q(this.dirOf(dir));
    const P = q(pattern);
    await this.script('addExclude', { helpers: ['co', 'ok'], act: { op: 'addExclude', dir, detail: pattern } }, [
      this.coLine(dir),
      `f=$(g -C ${D} rev-parse --git-path info/exclude)`,
      `case $f in /*) ;; *) f=${D}/$f;; esac`,
      `if [ -f "$f" ] && grep -qxF -e ${P} "$f"; then ok; fi`,
      `mkdir -p "$(dirname "$f")"`,
      // A file not ending in a newline gets one first; `$(…)` drops a trailing newline.
      `if [ -s "$f" ] && [ -n "$(tail -c 1 "$f")" ]; then printf '\\n' >>"$f"; fi`,
      `printf '%s\\n' ${P} >>"$f"`,
    ]);
  }

  async run(dir: string, command: string): Promise<CommandResult> {
    const script = this.commands[command] ?? (this.allowExec ? command : null);
    if (script === null) return notAllowed(command);
    // The command's output goes to a file (both streams, in order) so that the exit code is
    // known before anything is printed, and so that an output over the budget can be cut to
    // its head and tail here, with a note, instead of by the transport.
    // At least 512 bytes each side, whatever the budget: a verdict needs some context.
    const keep = Number.isFinite(this.maxOutputBytes) ? Math.max(512, Math.floor((this.maxOutputBytes - 300) / 2)) : 0;
    const text = [
      this.prelude({ helpers: ['co'], temp: true }),
      actLine({ op: 'run', dir, detail: command }),
      this.coLine(dir),
      `cd ${q(this.dirOf(dir))}`,
      'set +e',
      `sh -c ${q(script)} >"$T" 2>&1 </dev/null`,
      'rc=$?',
      'set -e',
      `printf '\\n${MARK} run\\n'`,
      keep > 0
        ? [
            `n=$(wc -c <"$T" | tr -d ' ')`,
            `if [ "$n" -le ${2 * keep} ]; then cat "$T"; else head -c ${keep} "$T"; printf '\\n[… %s bytes of output cut by the shell workspace …]\\n' $((n - ${2 * keep})); tail -c ${keep} "$T"; fi`,
          ].join('\n')
        : 'cat "$T"',
      `printf '\\n${MARK} exit %s\\n' "$rc"`,
    ].join('\n');
    const { exitCode, output } = await this.exec(text, this.cwd);
    const startMark = `\n${MARK} run\n`;
    const start = output.indexOf(startMark);
    // Records only before the command's output: what the command prints is its own business.
    this.throwRefusal(parseRecords(start < 0 ? output : output.slice(0, start)));
    const end = /\n@@TT@@ exit (\d+)\n?$/.exec(output);
    if (exitCode !== 0 || start < 0 || !end || end.index < start) {
      throw new Error(`shell workspace: run ${JSON.stringify(command)} in ${dir}: unexpected output (exit ${exitCode}): ${tail(output)}`);
    }
    return { exitCode: Number(end[1]), output: output.slice(start + startMark.length, end.index) };
  }

  // ---- internals ------------------------------------------------------------------------

  private dirOf(dir: string): string {
    return posix.resolve(this.root, dir);
  }

  /** The normalised path, or null when checkoutPath refuses it (refused in the script, after the checkout check, as on disk). */
  private pathOf(p: string): string | null {
    try {
      return checkoutPath(p);
    } catch (err) {
      if (err instanceof WorkspaceError) return null;
      throw err;
    }
  }

  private pathRefusal(p: string, rel: string | null): string {
    return rel === null ? `refuse outside-checkout ${q(`path ${JSON.stringify(p)} is not a file inside the checkout`)}` : '';
  }

  /** Refuse unless `dir` is a checkout of the repository; sets $CR (its real path) and $MAIN. */
  private coLine(dir: string): string {
    return `co ${q(this.dirOf(dir))} ${q(`${dir} is not a checkout of ${this.root}`)}`;
  }

  private mipRefusal(dir: string, what: string): string {
    return `if mip ${q(this.dirOf(dir))}; then refuse merge-in-progress ${q(`cannot ${what} in ${this.dirOf(dir)}: a merge is in progress`)}; fi`;
  }

  private dirtyRefusal(dir: string, what: string): string {
    return `if dirty ${q(this.dirOf(dir))}; then refuse dirty ${q(`cannot ${what} in ${this.dirOf(dir)}: uncommitted changes in {}`)} "$DL"; fi`;
  }

  /** Set shell variable `name` to the commit `ref` names, or refuse unknown-ref. */
  private resolveLine(name: string, ref: string): string {
    const message = q(`unknown revision ${JSON.stringify(ref)}`);
    if (ref === '' || ref.startsWith('-')) return `refuse unknown-ref ${message}`;
    return `res ${name} ${q(`${ref}^{commit}`)} ${message}`;
  }

  private readSliceBytes(): number {
    if (!Number.isFinite(this.maxOutputBytes)) return Number.POSITIVE_INFINITY;
    // base64 is 4 bytes per 3; leave room for the record lines around it (the act's is a few
    // hundred bytes more: the default budget sits 2,000 bytes under Codex's own).
    const slice = Math.floor((this.maxOutputBytes - 200) / 4) * 3;
    if (slice < 3) throw new Error(`shell workspace: maxOutputBytes ${this.maxOutputBytes} is too small`);
    return slice;
  }

  private prelude(parts: ScriptParts): string {
    const wanted = new Set<Helper>();
    const add = (h: Helper) => {
      if (wanted.has(h)) return;
      wanted.add(h);
      NEEDS[h].forEach(add);
    };
    parts.helpers.forEach(add);
    const { name, email } = this.author;
    const env = [
      'GIT_CONFIG_NOSYSTEM=1',
      'GIT_CONFIG_GLOBAL=/dev/null',
      'GIT_TERMINAL_PROMPT=0',
      'LC_ALL=C',
      `GIT_AUTHOR_NAME=${q(name)}`,
      `GIT_AUTHOR_EMAIL=${q(email)}`,
      `GIT_COMMITTER_NAME=${q(name)}`,
      `GIT_COMMITTER_EMAIL=${q(email)}`,
    ];
    if (parts.dates && this.clock) {
      const date = q(`@${Math.trunc(this.clock())} +0000`);
      env.push(`GIT_AUTHOR_DATE=${date}`, `GIT_COMMITTER_DATE=${date}`);
    }
    const config = [
      `user.name=${name}`,
      `user.email=${email}`,
      'core.hooksPath=/dev/null',
      'init.defaultBranch=main',
      'commit.gpgSign=false',
      'core.autocrlf=false',
      'core.quotePath=false',
      'merge.conflictStyle=merge',
      'advice.detachedHead=false',
    ]
      .map((c) => `-c ${q(c)}`)
      .join(' ');
    const defs: Record<Helper, string> = {
      g: `g() { ${env.join(' ')} git ${config} "$@"; }`,
      put: `put() { printf '\\n${MARK} %s ' "$1"; printf '%s' "$2" | base64 | tr -d '\\n'; printf '\\n'; }`,
      refuse: `refuse() { put refuse "$1"; put msg "$2"; if [ $# -ge 3 ]; then put detail "$3"; fi; exit 0; }`,
      ok: `ok() { printf '\\n${MARK} done\\n'; exit 0; }`,
      real: `real() { (cd "$1" 2>/dev/null && pwd -P) || printf '%s' "$1"; }`,
      repo: `repo() { [ -e "$R/.git" ] || [ -L "$R/.git" ] || refuse not-a-checkout ${q(`no repository at ${this.root}`)}; }`,
      // A checkout of R: git's top level is the dir itself, and its common dir is R's .git.
      // One git answers both questions, a line each (most scripts start with this check, and a
      // git is most of its cost); a path holding a newline would make the lines ambiguous, so
      // then each is asked alone.
      co: [
        'co() {',
        '  { [ -e "$R/.git" ] || [ -L "$R/.git" ]; } && [ -d "$1" ] || refuse not-a-checkout "$2"',
        '  CR=$(cd "$1" && pwd -P)',
        '  both=$(cd "$1" && g rev-parse --git-common-dir --show-toplevel 2>/dev/null) || refuse not-a-checkout "$2"',
        "  NL='",
        "'",
        '  case $both in',
        '    *"$NL"*"$NL"*) gcd=$(cd "$1" && g rev-parse --git-common-dir 2>/dev/null) && top=$(cd "$1" && g rev-parse --show-toplevel 2>/dev/null) || refuse not-a-checkout "$2" ;;',
        `    *"$NL"*) gcd=\${both%%"$NL"*}; top=\${both#*"$NL"} ;;`,
        '    *) refuse not-a-checkout "$2" ;;',
        '  esac',
        '  common=$(cd "$1" && cd "$gcd" && pwd -P) || refuse not-a-checkout "$2"',
        '  rr=$(cd "$R" && pwd -P)',
        '  [ "$top" = "$CR" ] && [ "$common" = "$rr/.git" ] || refuse not-a-checkout "$2"',
        '  MAIN=0; if [ "$CR" = "$rr" ]; then MAIN=1; fi',
        '}',
      ].join('\n'),
      mip: `mip() { g -C "$1" rev-parse -q --verify MERGE_HEAD >/dev/null 2>&1; }`,
      dirty: `dirty() { DL=$(g -C "$1" diff HEAD --name-only --no-renames; g -C "$1" ls-files --others --exclude-standard); [ -n "$DL" ]; }`,
      res: `res() { r=$(g -C "$R" rev-parse --verify --quiet "$2") || refuse unknown-ref "$3"; eval "$1=\\$r"; }`,
      bx: `bx() { g -C "$R" show-ref --verify --quiet "refs/heads/$1"; }`,
      holder: `holder() { g -C "$R" worktree list --porcelain | while IFS= read -r l; do case $l in 'worktree '*) w=\${l#worktree };; "branch refs/heads/$1") printf '%s' "$w";; esac; done; }`,
      emit: `emit() { k=$1; shift; "$@" >"$T" || exit $?; printf '\\n${MARK} %s ' "$k"; base64 <"$T" | tr -d '\\n'; printf '\\n'; }`,
      // mkdir only when the folder is missing: a journal is written again and again in one folder.
      wf: `wf() { [ -d "$1" ] || mkdir -p "$1"; printf '%s' "$3" | base64 -d >"$2"; }`,
      af: `af() { printf '%s' "$2" | base64 -d >>"$1"; }`,
    };
    const out = [
      'exec 2>&1',
      'set -e',
      // No inherited GIT_DIR, GIT_INDEX_FILE, … may redirect a call. The exported names are
      // read from the shell's own list (`export -p`: one fork, where `env | sed` started two
      // programs, a quarter of a short script's processor time); a line of a value over several
      // lines can at worst unset another GIT_ variable, and a name that is not one is skipped.
      UNSET_GIT_VARIABLES,
      `R=${q(this.root)}`,
      ...ORDER.filter((h) => wanted.has(h)).map((h) => defs[h]),
    ];
    if (parts.temp) out.push(`T=$(mktemp "\${TMPDIR:-/tmp}/tt-ws.XXXXXX")`, `trap 'rm -- "$T"' EXIT`);
    return out.join('\n');
  }

  /** A `refuse` record becomes the WorkspaceError it names; `{}` in its message is filled from its detail. */
  private throwRefusal(records: Records): void {
    const code = records.get('refuse');
    if (code === undefined) return;
    if (!WORKSPACE_CODES.has(code as WorkspaceError['code'])) throw new Error(`shell workspace: unknown refusal ${JSON.stringify(code)}`);
    let message = records.get('msg') ?? code;
    const detail = records.get('detail');
    if (detail !== undefined) {
      // The dirty list arrives one path a line, unsorted; the disk workspace names them sorted.
      const shown = code === 'dirty' ? sortedStrings(lines(detail)).join(', ') : detail;
      message = message.replace('{}', shown);
    }
    throw new WorkspaceError(code as WorkspaceError['code'], message);
  }

  /** Run one script: prelude + body + `ok`; a refusal becomes a WorkspaceError. */
  private async script(what: string, parts: ScriptParts, body: string[]): Promise<Records> {
    return this.runScript(what, [this.prelude(parts), parts.act ? actLine(parts.act) : '', ...body.filter(Boolean), 'ok'].filter(Boolean).join('\n'));
  }

  /**
   * `head`, then the writes, then `tailBody`, in as few scripts as `maxCommandBytes` allows
   * (one when they fit). Each script carries the full prelude; the last one's records are returned.
   */
  private async packed(what: string, parts: ScriptParts, head: string, writes: Write[], tailBody: string): Promise<Records> {
    const prelude = this.prelude(parts);
    const scripts: string[] = [];
    let cur = `${prelude}\n${head}`;
    // The act goes with the last script, the one that finishes the operation.
    if (parts.act) tailBody = `${actLine(parts.act)}\n${tailBody}`;
    const reserve = tailBody.length + 64;
    for (const w of writes) {
      let offset = 0;
      let first = true;
      while (first || offset < w.b64.length) {
        const stmt = first ? `wf ${q(w.dir)} ${q(w.file)} ''` : `af ${q(w.file)} ''`;
        const room = Math.floor((this.maxCommandBytes - cur.length - stmt.length - reserve - 2) / 4) * 4;
        const left = w.b64.length - offset;
        if (room < Math.min(left, 256) || (room <= 0 && left === 0)) {
          if (cur === prelude) throw new Error(`shell workspace: maxCommandBytes ${this.maxCommandBytes} is too small for ${what}`);
          scripts.push(`${cur}\nok`);
          cur = prelude;
          continue;
        }
        const take = Math.min(left, room);
        const chunk = w.b64.slice(offset, offset + take);
        cur += first ? `\nwf ${q(w.dir)} ${q(w.file)} '${chunk}'` : `\naf ${q(w.file)} '${chunk}'`;
        offset += take;
        first = false;
      }
    }
    scripts.push(`${cur}\n${tailBody}\nok`);
    let records: Records | undefined;
    for (const [i, s] of scripts.entries()) records = await this.runScript(scripts.length > 1 ? `${what} (${i + 1}/${scripts.length})` : what, s);
    return records!;
  }

  private async runScript(what: string, text: string): Promise<Records> {
    const { exitCode, output } = await this.exec(text, this.cwd);
    const records = parseRecords(output);
    this.throwRefusal(records);
    if (exitCode !== 0 || !records.has('done')) {
      throw new Error(`shell workspace: ${what} failed (exit ${exitCode}): ${tail(output)}`);
    }
    return records;
  }
}

/** The prelude's unsetting of every exported GIT_ variable (dash and bash, as sh, print `export`; bash also `declare -x`). */
const UNSET_GIT_VARIABLES = [
  'while IFS= read -r l; do',
  `  case $l in 'export GIT_'*|'declare -x GIT_'*) n=\${l#export }; n=\${n#declare -x }; n=\${n%%=*}`,
  '    case $n in *[!A-Za-z0-9_]*) ;; *) unset "$n" ;; esac ;;',
  '  esac',
  'done <<TT_EXPORTED',
  '$(export -p)',
  'TT_EXPORTED',
].join('\n');

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** A name `refs/heads/<name>` could be looked up as (the disk workspace's branchExists guard). */
function validBranchName(name: string): boolean {
  return name !== '' && !name.startsWith('-');
}

function nulSplit(text: string): string[] {
  return text.split('\0').filter(Boolean);
}

interface ListedWorktree {
  path: string;
  real: string;
  head: Sha;
  branch: string | null;
}

/** `git worktree list --porcelain -z`, main checkout first (as in disk-workspace.ts). */
function parsePorcelain(stdout: string): ListedWorktree[] {
  return parseWorktreePorcelain(stdout, '\0').map((w) => ({ ...w, real: w.path }));
}
