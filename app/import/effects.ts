// What a thread's shell commands did to the repository, read from a rollout alone: the command
// text, where it ran, its exit code and what it printed. Two kinds of leader are read:
//
// - one that worked through our shell workspace (a run this harness hosted): each of its scripts
//   announces its operation in its output (src/workspace/shell-acts.ts), read as it says;
// - any other (a model at the keyboard): its command line is split into simple commands and the
//   ones the invariants judge are recognised: `git merge` (and `--abort`, `--continue`, a
//   commit that ends a conflicted merge), `git worktree add|remove`, `git diff|show|log -p`,
//   `git branch -d|-D|-f`, `git reset --hard`, the build/test command, writes to the journal
//   (a redirect, `tee`, `cp`/`mv`, `sed -i`, a heredoc, or a script naming it), files removed
//   with `rm`, lines appended to git's exclude file, and reads of a worker's report. A merge's outcome comes from the exit
//   code and git's own words (`CONFLICT`, `Merge made by`, `Fast-forward`, `Already up to date`).
//
// What is not recognised is not guessed: the command stays in the trace as an `exec` act.

import { posix } from 'node:path';
import { readShellAct } from '../../src/workspace/shell-acts.ts';

/** A workspace act, as the trace's `ws` event has it (its actor is added by the caller). */
export interface SeenAct {
  op: string;
  dir: string;
  ok: boolean;
  paths?: string[];
  ref?: string;
  detail?: string;
  content?: string;
}

export interface EffectContext {
  /** The leader's checkout (the integration branch's). */
  root: string;
  /** The journal path pattern (relative to the root; `<…>` stands for a thread id). */
  journal: RegExp;
  /** The worker's report path, relative to its worktree. */
  reportPath: string;
  /** Build/test commands, as typed; empty: the common ones (DEFAULT_VERIFY). */
  verify: readonly string[];
}

/**
 * Build and test commands a leader commonly runs to verify the tree, when none was named
 * (`--verify`): each is matched against the start of a simple command.
 */
export const DEFAULT_VERIFY =
  /^(?:(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?(?:test|t|build|check|verify|ci|lint|typecheck)\b|npx\s+(?:vitest|jest|tsc|mocha|playwright)\b|(?:make|gmake)(?:\s+(?:test|check|build|ci|all|verify))?\s*$|(?:make|gmake)\s+(?:test|check|build|ci|verify)\b|(?:python3?\s+-m\s+)?(?:pytest|unittest|tox|nox)\b|cargo\s+(?:test|build|check|nextest|clippy)\b|go\s+(?:test|build|vet)\b|(?:mvn|\.\/mvnw)\s+\S*\s*(?:test|verify|package|install)\b|(?:gradle|\.\/gradlew)\s+(?:\S+\s+)*(?:test|build|check)\b|dotnet\s+(?:test|build)\b|(?:ctest|rspec|phpunit|vitest|jest|tsc)\b|bazel\s+(?:test|build)\b|(?:bundle\s+exec\s+)?(?:rake|rspec)\b|mix\s+test\b|swift\s+(?:test|build)\b|deno\s+(?:test|check)\b)/;

const READERS = new Set(['cat', 'sed', 'head', 'tail', 'less', 'more', 'bat', 'nl', 'awk', 'grep', 'rg', 'wc', 'jq', 'diff', 'view']);

interface Simple {
  words: string[];
  /** Output redirections, in order. */
  out: { append: boolean; target: string }[];
  /** The text of a heredoc fed to it, if any. */
  heredoc: string | null;
  /** The operator that joins it to the next command. */
  next: string;
}

/**
 * A command line as simple commands: words (quotes removed, `$…` left as written), output
 * redirections and heredoc bodies. Not a shell: enough of one for the commands the invariants
 * judge; anything it cannot follow (a loop, a function) just yields words no rule matches.
 */
export function simpleCommands(text: string): Simple[] {
  const out: Simple[] = [];
  const heredocs: string[] = [];
  // Heredoc bodies first: the lines after the one that opens them, up to the delimiter.
  const lines = text.split('\n');
  const kept: string[] = [];
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    kept.push(line);
    for (const m of line.matchAll(/<<(-?)\s*(['"]?)([A-Za-z_][\w-]*)\2/g)) {
      const body: string[] = [];
      while (++k < lines.length && (m[1] ? lines[k]!.trim() : lines[k]) !== m[3]) body.push(lines[k]!);
      heredocs.push(body.join('\n'));
    }
  }
  let cur: Simple = { words: [], out: [], heredoc: null, next: '' };
  let word: string | null = null;
  let redirect: { append: boolean } | null = null;
  let hereNext = false;
  const endWord = () => {
    if (word === null) return;
    if (hereNext) {
      cur.heredoc = heredocs.shift() ?? '';
      hereNext = false;
    } else if (redirect) {
      cur.out.push({ append: redirect.append, target: word });
      redirect = null;
    } else cur.words.push(word);
    word = null;
  };
  const endCommand = (op: string) => {
    endWord();
    if (cur.words.length || cur.out.length) out.push({ ...cur, next: op });
    cur = { words: [], out: [], heredoc: null, next: '' };
  };
  const src = kept.join('\n');
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    const two = src.slice(i, i + 2);
    if (c === "'") {
      const end = src.indexOf("'", i + 1);
      word = (word ?? '') + src.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? src.length : end;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\' && j + 1 < src.length && '"\\$`'.includes(src[j + 1]!)) j++;
        s += src[j++];
      }
      word = (word ?? '') + s;
      i = j;
    } else if (c === '\\' && i + 1 < src.length) {
      if (src[i + 1] !== '\n') word = (word ?? '') + src[i + 1];
      i++;
    } else if (c === '$' && src[i + 1] === '(') {
      // A command substitution stays one word, as written.
      let depth = 0;
      let j = i;
      for (; j < src.length; j++) {
        if (src[j] === '(') depth++;
        else if (src[j] === ')' && --depth === 0) break;
      }
      word = (word ?? '') + src.slice(i, j + 1);
      i = j;
    } else if (two === '&&' || two === '||') {
      endCommand(two);
      i++;
    } else if (c === ';' || c === '\n' || c === '|' || c === '&' || c === '(' || c === ')' || c === '{' || c === '}') {
      if ((c === '{' || c === '}') && word !== null) word += c;
      else if (c === '&' && src[i + 1] === '>') {
        endWord();
        redirect = { append: src[i + 2] === '>' };
        i += src[i + 2] === '>' ? 2 : 1;
      } else endCommand(c);
    } else if (c === '<' && src[i + 1] === '<') {
      endWord();
      hereNext = true;
      i += src[i + 2] === '-' ? 2 : 1;
    } else if (c === '>' || (/[0-9]/.test(c) && src[i + 1] === '>' && word === null)) {
      const at = c === '>' ? i : i + 1;
      endWord();
      const append = src[at + 1] === '>';
      i = at + (append ? 1 : 0);
      if (src[i + 1] === '&') {
        // 2>&1 and the like: a descriptor, not a file.
        i++;
        while (i + 1 < src.length && /[0-9-]/.test(src[i + 1]!)) i++;
      } else redirect = { append }; // stdout or stderr to a file: a file written either way
    } else if (c === ' ' || c === '\t') endWord();
    else word = (word ?? '') + c;
  }
  endCommand('');
  return out;
}

/** Words after leading variable assignments and wrappers (`env`, `command`, `time`, `sudo`). */
function commandWords(words: string[]): string[] {
  let k = 0;
  while (k < words.length && (/^[A-Za-z_]\w*=/.test(words[k]!) || ['env', 'command', 'time', 'sudo', 'exec', 'nohup'].includes(words[k]!))) k++;
  return words.slice(k);
}

/** Git's own options before its subcommand: where it runs (`-C`), and the rest of its words. */
function gitArgs(words: string[], cwd: string): { dir: string; args: string[] } | null {
  if (posix.basename(words[0] ?? '') !== 'git') return null;
  let dir = cwd;
  let k = 1;
  while (k < words.length && words[k]!.startsWith('-')) {
    const w = words[k]!;
    if (w === '-C') dir = posix.resolve(dir, words[++k] ?? '.');
    else if (w === '-c' || w === '--git-dir' || w === '--work-tree' || w === '--namespace') k++;
    k++;
  }
  return { dir, args: words.slice(k) };
}

/** The operands of a git subcommand: its words that are not options (and not the values of `valued` ones). */
function operands(args: string[], valued: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    if (a === '--') {
      out.push(...args.slice(k + 1));
      break;
    }
    if (a.startsWith('-')) {
      if (valued.has(a)) k++;
      continue;
    }
    out.push(a);
  }
  return out;
}

const MERGE_VALUED = new Set(['-m', '-s', '-X', '-F', '--strategy', '--strategy-option', '--file', '--message', '--cleanup', '-S', '--gpg-sign']);
const MERGE_DONE = /^(Merge made by|Fast-forward|Already up.to.date)/gm;

/**
 * Reads one thread's commands in order. It keeps what a command line does not say but the next
 * one needs: a merge left in conflict (so the commit that follows ends it) and the worktrees
 * added (so a file named inside one is attributed to it).
 */
export class EffectReader {
  private readonly conflicted = new Set<string>();
  private readonly checkouts: string[];
  /** The journal path anywhere in a text. */
  private readonly mentioned: RegExp;

  constructor(
    private readonly x: EffectContext,
    /** Checkouts known from elsewhere (workers' own folders). */
    checkouts: readonly string[] = [],
  ) {
    this.checkouts = [x.root, ...checkouts];
    this.mentioned = new RegExp(`(?:[\\w./-]*/)?${x.journal.source.replace(/^\^/, '').replace(/\$$/, '')}`);
  }

  /** The acts of one shell command: `text` run in `cwd`, its exit code, and what it printed (commandEvidence). */
  command(text: string, cwd: string, exit: number | null, output: string): SeenAct[] {
    const announced = readShellAct(output);
    if (announced) {
      if (announced.op === 'merge' && announced.detail === 'conflict') this.conflicted.add(announced.dir);
      if (announced.op === 'commitMerge' || announced.op === 'abortMerge') this.conflicted.delete(announced.dir);
      if (announced.op === 'worktreeAdd' && announced.ok) this.checkouts.push(announced.dir);
      return [announced];
    }
    const acts: SeenAct[] = [];
    const merges: SeenAct[] = [];
    let dir = cwd;
    for (const sc of simpleCommands(text)) {
      const words = commandWords(sc.words);
      if (words[0] === 'cd') {
        if (words[1] && !/[$~]/.test(words[1])) dir = posix.resolve(dir, words[1]);
        continue;
      }
      const git = gitArgs(words, dir);
      if (git) this.git(git.dir, git.args, exit, acts, merges);
      else this.other(words, dir, exit, acts, sc.heredoc ?? '');
      for (const r of sc.out) this.written(posix.resolve(dir, r.target), sc, exit, acts);
      // tee writes every file it names (what it is fed included); cp, mv, install and sed -i their last.
      const name = posix.basename(words[0] ?? '');
      if (['tee', 'cp', 'mv', 'install'].includes(name) || (name === 'sed' && words.some((w) => w.startsWith('-i')))) {
        const targets = name === 'tee' ? operands(words.slice(1), new Set()) : words.slice(-1);
        for (const t of targets) this.written(posix.resolve(dir, t), name === 'tee' ? sc : { ...sc, heredoc: null }, exit, acts);
      }
    }
    // How the merges went: all of them when the command succeeded; else git's words say which.
    if (merges.length) {
      const done = (output.match(MERGE_DONE) ?? []).length;
      const conflict = /^(CONFLICT|Automatic merge failed)/m.test(output);
      merges.forEach((m, k) => {
        const last = k === merges.length - 1;
        if (exit === 0 || k < done) {
          m.ok = true;
          m.detail =
            /Already up.to.date/.test(output) && merges.length === 1
              ? 'up-to-date'
              : /^Fast-forward/m.test(output) && merges.length === 1
                ? 'fast-forward'
                : 'merged';
        } else if (conflict && last) {
          m.ok = true;
          m.detail = 'conflict';
          this.conflicted.add(m.dir);
        } else {
          m.ok = false;
          m.detail = 'unknown: the command failed and git did not say this merge was made';
        }
      });
    }
    return acts;
  }

  /** A patch applied with Codex's apply_patch tool: each file it adds, updates, deletes or moves to. */
  patch(input: string, cwd: string, ok: boolean): SeenAct[] {
    const acts: SeenAct[] = [];
    const lines = input.split('\n');
    lines.forEach((line, k) => {
      const m = /^\*\*\* (Add File|Update File|Delete File|Move to): (.+)$/.exec(line.trim());
      if (!m) return;
      const abs = posix.resolve(cwd, m[2]!.trim());
      const where = this.checkoutOf(abs);
      if (!where) return;
      const body: string[] = [];
      for (let j = k + 1; j < lines.length && !lines[j]!.startsWith('*** '); j++) body.push(lines[j]!);
      const content = m[1] === 'Add File' ? `${body.map((l) => l.slice(1)).join('\n')}\n` : undefined;
      acts.push({
        op: m[1] === 'Delete File' ? 'removeFile' : 'writeFile',
        dir: where.dir,
        paths: [where.rel],
        ok,
        ...(content !== undefined ? { content } : {}),
      });
    });
    return acts;
  }

  /** The checkout a path is in (the deepest that holds it), and the path within it. */
  private checkoutOf(abs: string): { dir: string; rel: string } | null {
    const hits = this.checkouts.filter((d) => abs === d || abs.startsWith(`${d}/`)).sort((a, b) => b.length - a.length);
    const dir = hits[0];
    return dir === undefined ? null : { dir, rel: posix.relative(dir, abs) };
  }

  private git(dir: string, args: string[], exit: number | null, acts: SeenAct[], merges: SeenAct[]): void {
    const [sub, ...rest] = args;
    const ok = exit === 0;
    if (sub === 'merge') {
      if (rest.includes('--abort') || rest.includes('--quit')) {
        this.conflicted.delete(dir);
        acts.push({ op: 'abortMerge', dir, ok });
      } else if (rest.includes('--continue')) {
        this.conflicted.delete(dir);
        acts.push({ op: 'commitMerge', dir, ok });
      } else
        for (const ref of operands(rest, MERGE_VALUED)) {
          const m: SeenAct = { op: 'merge', dir, ref, ok: false };
          merges.push(m);
          acts.push(m);
        }
    } else if (sub === 'commit') {
      // -m MSG, and short flags run together (-am MSG).
      const flag = rest.findIndex((w) => /^-[a-zA-Z]*m$/.test(w));
      const message = flag >= 0 ? rest[flag + 1] : undefined;
      if (this.conflicted.has(dir)) {
        if (ok) this.conflicted.delete(dir);
        acts.push({ op: 'commitMerge', dir, ok });
      } else acts.push({ op: 'commitAll', dir, ok, ...(message ? { detail: message } : {}) });
    } else if (sub === 'worktree' && (rest[0] === 'add' || rest[0] === 'remove')) {
      const valued = new Set(['-b', '-B', '--reason']);
      const [path, base] = operands(rest.slice(1), valued);
      if (!path) return;
      const wt = posix.resolve(dir, path);
      if (rest[0] === 'remove') {
        acts.push({ op: 'worktreeRemove', dir: wt, ok, ...(rest.includes('--force') || rest.includes('-f') ? { detail: 'force' } : {}) });
        return;
      }
      const b = rest.indexOf('-b') >= 0 ? rest.indexOf('-b') : rest.indexOf('-B');
      const branch = b >= 0 ? rest[b + 1] : posix.basename(wt);
      if (ok) this.checkouts.push(wt);
      acts.push({ op: 'worktreeAdd', dir: wt, ok, ...(branch ? { ref: branch } : {}), ...(base ? { detail: `base ${base}` } : {}) });
    } else if (sub === 'diff' || sub === 'show' || (sub === 'log' && rest.some((r) => r === '-p' || r === '--patch' || r === '--stat'))) {
      acts.push({ op: 'changedFiles', dir: '', ok: true, ref: operands(rest, new Set(['-U', '--unified'])).join(' ') });
    } else if (sub === 'branch' && rest.some((r) => r === '-d' || r === '-D' || r === '--delete')) {
      for (const b of operands(rest, new Set())) acts.push({ op: 'deleteBranch', dir: '', ref: b, ok });
    } else if (sub === 'branch' && rest.some((r) => r === '-f' || r === '--force')) {
      const [b] = operands(rest, new Set());
      if (b) acts.push({ op: 'setBranch', dir: '', ref: b, ok });
    } else if (sub === 'reset' && rest.includes('--hard')) {
      acts.push({ op: 'discardChanges', dir, ok });
    }
  }

  private other(words: string[], dir: string, exit: number | null, acts: SeenAct[], heredoc: string): void {
    const line = words.join(' ');
    const verify = this.x.verify.length ? this.x.verify.find((v) => line === v || line.startsWith(`${v} `)) : DEFAULT_VERIFY.exec(line)?.[0];
    if (verify !== undefined && exit !== null) acts.push({ op: 'run', dir, ok: true, detail: `${line} -> exit ${exit}` });
    const name = posix.basename(words[0] ?? '');
    if (name === 'rm') {
      for (const w of operands(words.slice(1), new Set())) {
        const where = this.checkoutOf(posix.resolve(dir, w));
        if (where) acts.push({ op: 'removeFile', dir: where.dir, paths: [where.rel], ok: exit === 0 });
      }
    }
    if (/^(python[\d.]*|node|perl|ruby)$/.test(name)) {
      // A script that names the journal is taken to write it (reads go through cat and the like).
      const hit = this.mentioned.exec(`${words.join(' ')}\n${heredoc}`);
      const where = hit ? this.checkoutOf(posix.resolve(dir, hit[0])) : null;
      if (where) acts.push({ op: 'writeFile', dir: where.dir, paths: [where.rel], ok: exit === 0 });
    }
    if (READERS.has(name) || /^python3?$|^node$/.test(name)) {
      for (const w of words.slice(1)) {
        if (!w.endsWith(this.x.reportPath) && posix.basename(w) !== posix.basename(this.x.reportPath)) continue;
        const abs = posix.resolve(dir, w);
        const wt = abs.endsWith(`/${this.x.reportPath}`) ? abs.slice(0, -this.x.reportPath.length - 1) : dir;
        acts.push({ op: 'readFile', dir: wt, paths: [this.x.reportPath], ok: true });
      }
    }
  }

  /** A file written by a redirect, `tee`, `cp`, `mv` or `sed -i`: a journal write, or a line added to git's exclude file. */
  private written(abs: string, sc: Simple, exit: number | null, acts: SeenAct[]): void {
    const ok = exit === 0;
    if (/\/\.git\/info\/exclude$/.test(abs) || /info\/exclude\)?$/.test(abs)) {
      const said =
        sc.heredoc ??
        commandWords(sc.words)
          .slice(1)
          .filter((w) => !w.startsWith('-') && !/%s|\\n/.test(w))
          .join(' ');
      for (const pattern of said.split('\n').filter((l) => l.trim())) acts.push({ op: 'addExclude', dir: this.x.root, detail: pattern.trim(), ok });
      return;
    }
    const where = this.checkoutOf(abs);
    if (!where || !this.x.journal.test(where.rel)) return;
    const whole = sc.heredoc !== null && !sc.out.some((o) => o.append) && ['cat', 'tee'].includes(commandWords(sc.words)[0] ?? '');
    acts.push({ op: 'writeFile', dir: where.dir, paths: [where.rel], ok, ...(whole ? { content: `${sc.heredoc}\n` } : {}) });
  }
}
