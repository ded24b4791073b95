// The shell workspace (every operation one `sh -c` script) against the shared workspace
// suite, run locally through /bin/sh; plus determinism of SHAs under a clock, exact
// round-trips of awkward contents and paths, and the transport limits.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/ports/workspace.ts';
import { createShellWorkspace, shellQuote, type ShellWorkspaceOptions } from '../../src/workspace/shell.ts';
import { checkoutsIn, type SuiteCommand, withGitWithoutZ, failedListIn, workspaceSuite } from '../support/workspace-suite.ts';
import { localExec, type ShellExecLog } from '../support/shell-exec.ts';

const scratch: string[] = [];

afterEach(async () => {
  await Promise.all(scratch.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'shell-ws-'));
  scratch.push(dir);
  return dir;
}

function toShell(spec: SuiteCommand): string {
  const fail = shellQuote(`FAIL: ${spec.file} does not contain ${spec.contains}`);
  return `grep -qF -- ${shellQuote(spec.contains)} ${shellQuote(spec.file)} 2>/dev/null && echo ok || { echo ${fail}; exit 1; }`;
}

function suiteFor(name: string, extra: Partial<ShellWorkspaceOptions>): void {
  workspaceSuite(
    name,
    async (commands) =>
      createShellWorkspace({
        root: join(await tempDir(), 'repo'),
        exec: localExec(),
        commands: Object.fromEntries(Object.entries(commands).map(([n, spec]) => [n, toShell(spec)])),
        ...extra,
      }),
    async (_ws, path) => readFile(path, 'utf8').catch(() => null),
  );
}

suiteFor('shell', {});
// Files read a few bytes per script: exercises the sliced reads on every read of the suite.
suiteFor('shell, tiny output budget', { maxOutputBytes: 220 });

async function shellWorkspace(extra: Partial<ShellWorkspaceOptions> = {}) {
  const log: ShellExecLog = { commands: [] };
  const root = join(await tempDir(), 'repo');
  const ws = createShellWorkspace({ root, exec: localExec(log), ...extra });
  return { ws, root, log };
}

/** One fixed history: init, two worktrees, commits, a fast-forward, a three-way merge, a resolved conflict. */
async function history(ws: Workspace, root: string): Promise<string[]> {
  const shas: string[] = [];
  const wt = (name: string) => join(root, '..', `wt-${name}`);
  shas.push(await ws.init({ 'README.md': '# demo\n', 'src/a.txt': 'one\ntwo\nthree\n' }, 'main'));
  shas.push(await ws.worktreeAdd(wt('a'), 'feature-a', 'main'));
  await ws.writeFile(wt('a'), 'src/a.txt', 'one\ntwo (a)\nthree\n');
  shas.push((await ws.commitAll(wt('a'), 'a edits two'))!);
  await ws.writeFile(root, 'main.txt', 'main\n');
  shas.push((await ws.commitAll(root, 'main adds a file'))!);
  const merged = await ws.merge(root, 'feature-a', 'merge feature-a');
  expect(merged.kind).toBe('merged');
  shas.push((merged as { sha: string }).sha);
  await ws.worktreeAdd(wt('b'), 'feature-b', 'main');
  await ws.writeFile(wt('b'), 'main.txt', 'from b\n');
  shas.push((await ws.commitAll(wt('b'), 'b'))!);
  await ws.writeFile(root, 'main.txt', 'from main\n');
  shas.push((await ws.commitAll(root, 'main again'))!);
  expect((await ws.merge(root, 'feature-b', 'merge feature-b')).kind).toBe('conflict');
  await ws.writeFile(root, 'main.txt', 'both\n');
  shas.push(await ws.commitMerge(root, 'merge feature-b, resolved'));
  const ff = await ws.merge(wt('b'), 'main', 'sync');
  expect(ff.kind).toBe('fast-forward');
  shas.push((ff as { sha: string }).sha);
  return shas;
}

describe('shell workspace', () => {
  it('gives the same SHAs for the same operations at the same clock, in different directories', async () => {
    let t = 1_700_000_000;
    const clock = () => t++;
    const first = await shellWorkspace({ clock });
    t = 1_700_000_000;
    const second = await shellWorkspace({ clock });
    expect(first.root).not.toBe(second.root);
    const a = await history(first.ws, first.root);
    t = 1_700_000_000;
    const b = await history(second.ws, second.root);
    expect(a.every((s) => /^[0-9a-f]{40}$/.test(s))).toBe(true);
    expect(b).toEqual(a);
    const [head] = await first.ws.log('main', 1);
    expect(head!.parents).toHaveLength(2);

    // Another clock: other SHAs (the dates are really in the commits).
    t = 1_800_000_000;
    const third = await shellWorkspace({ clock });
    const c = await history(third.ws, third.root);
    expect(c[0]).not.toBe(a[0]);

    // The committing scripts carry the dates inline, and git runs with no user config.
    const commit = first.log.commands.find((x) => x.cmd.includes(' commit -q'))!.cmd;
    expect(commit).toContain(`GIT_AUTHOR_DATE='@1700000000 +0000'`);
    expect(commit).toContain('GIT_COMMITTER_DATE=');
    expect(commit).toContain('GIT_CONFIG_GLOBAL=/dev/null');
    expect(commit).toContain('GIT_CONFIG_NOSYSTEM=1');
    expect(commit).toContain(`-c 'core.hooksPath=/dev/null'`);
  }, 60_000);

  it("git's own variables in the environment the commands inherit redirect nothing", async () => {
    let t = 1_700_000_000;
    const clock = () => t++;
    const plain = await shellWorkspace({ clock });
    const want = await history(plain.ws, plain.root);
    // Another repository the variables point at, which must stay as it is.
    const elsewhere = join(await tempDir(), 'elsewhere');
    const other = createShellWorkspace({ root: elsewhere, exec: localExec() });
    await other.init({ 'x.txt': 'x\n' }, 'main');
    const before = await other.resolve('main');
    const root = join(await tempDir(), 'repo');
    const env = {
      ...process.env,
      GIT_DIR: join(elsewhere, '.git'),
      GIT_WORK_TREE: elsewhere,
      GIT_INDEX_FILE: join(elsewhere, '.git', 'index'),
      GIT_OBJECT_DIRECTORY: join(elsewhere, '.git', 'objects'),
      GIT_CEILING_DIRECTORIES: '/',
      // A value over lines, one of them shaped like another variable's line, and a name
      // that only ends in GIT_: neither breaks the script.
      GIT_TRICK: "a'b\nexport GIT_NOT A NAME=1\n",
      NOT_GIT_DIR: '/nowhere',
    };
    t = 1_700_000_000;
    const ws = createShellWorkspace({ root, exec: localExec(undefined, env), clock });
    expect(await history(ws, root)).toEqual(want);
    expect(await other.resolve('main')).toBe(before);
    expect(await other.status(elsewhere)).toEqual([]);
  }, 60_000);

  it('round-trips awkward file contents and paths exactly', async () => {
    const { ws, root } = await shellWorkspace();
    await ws.init({}, 'main');
    const contents: Record<string, string> = {
      'quotes.txt': `single ' double " back \` dollar $HOME $(id) \${x} '\\'' \\n literal backslash \\`,
      'no-newline.txt': 'last line without newline',
      'blank-lines.txt': '\n\n\n',
      'empty.txt': '',
      'crlf.txt': 'windows\r\nline\r\n',
      'unicode.txt': 'café ✓ 日本語 🧪 \u00a0nbsp \u200bzwsp\n',
      'heredoc.txt': 'EOF\n__EOF__\nEND\n@@TT@@ done\n@@TT@@ refuse dirty\n',
      'tabs and nul.txt': 'a\tb\0c\n',
      'dir with space/it\'s "q" $x.txt': 'path with quotes\n',
      'ünï/cødé.txt': 'unicode path\n',
      '-starts-with-dash.txt': 'dash\n',
    };
    for (const [p, c] of Object.entries(contents)) await ws.writeFile(root, p, c);
    for (const [p, c] of Object.entries(contents)) {
      expect(await ws.readFile(root, p), p).toBe(c);
      expect(await readFile(join(root, p), 'utf8'), p).toBe(c);
    }
    const paths = Object.keys(contents).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(await ws.listFiles(root)).toEqual(paths);
    expect(await ws.status(root)).toEqual(paths.map((path) => ({ path, kind: 'added' })));
    const sha = (await ws.commitAll(root, `message with 'quotes', "double", $dollar and\nsecond line`))!;
    expect((await ws.log(sha, 1))[0]!.message).toBe(`message with 'quotes', "double", $dollar and\nsecond line`);
    expect(await ws.changedFiles(`${sha}~1`, sha)).toEqual(paths.map((path) => ({ path, kind: 'added' })));
    await ws.removeFile(root, 'dir with space/it\'s "q" $x.txt');
    await ws.removeFile(root, 'never-existed.txt');
    expect(await ws.status(root)).toEqual([{ path: 'dir with space/it\'s "q" $x.txt', kind: 'deleted' }]);

    // Bytes that are not UTF-8 read back as U+FFFD, as the disk workspace reads them.
    await writeFile(join(root, 'binary.bin'), Buffer.from([0xff, 0xfe, 0x41]));
    expect(await ws.readFile(root, 'binary.bin')).toBe('\ufffd\ufffdA');
  }, 60_000);

  it('knows its checkouts when their folders have a newline in their names', async () => {
    // The checkout test asks one git for two paths, a line each; a newline in a path makes the
    // lines ambiguous, and the script then asks for each alone. The worktree list is asked for
    // with NUL separators.
    await checkoutsIn((root) => createShellWorkspace({ root, exec: localExec() }), await tempDir());
  });

  it('lists its checkouts with a git older than 2.36, which knows no -z', async () => {
    const dir = await tempDir();
    await withGitWithoutZ(dir, () => checkoutsIn((root) => createShellWorkspace({ root, exec: localExec() }), dir, 'plain'));
  });

  it('reports a git older than 2.36 that fails to list its checkouts, instead of listing none', async () => {
    const dir = await tempDir();
    await failedListIn((root) => createShellWorkspace({ root, exec: localExec() }), dir);
  });

  it('splits large writes over several commands and reads large files in slices', async () => {
    const { ws, root, log } = await shellWorkspace({ maxCommandBytes: 20_000, maxOutputBytes: 4_000 });
    const big = Array.from({ length: 4000 }, (_, i) => `line ${i}: ' " $ \` ✓\n`).join('');
    expect(Buffer.byteLength(big)).toBeGreaterThan(60_000);
    await ws.init({ 'big.txt': big, 'small.txt': 'small\n' }, 'main');
    const initScripts = log.commands.length;
    expect(initScripts).toBeGreaterThan(3);
    expect(await readFile(join(root, 'big.txt'), 'utf8')).toBe(big);
    expect(await ws.status(root)).toEqual([]);

    log.commands.length = 0;
    const bigger = big + big;
    await ws.writeFile(root, 'big.txt', bigger);
    expect(log.commands.length).toBeGreaterThan(5);
    expect(await readFile(join(root, 'big.txt'), 'utf8')).toBe(bigger);

    log.commands.length = 0;
    expect(await ws.readFile(root, 'big.txt')).toBe(bigger);
    expect(log.commands.length).toBeGreaterThan(30);
    for (const c of log.commands) expect(c.output.length).toBeLessThanOrEqual(4_000);

    log.commands.length = 0;
    await ws.writeFile(root, 'small.txt', 'still one command\n');
    expect(log.commands).toHaveLength(1);
  }, 60_000);

  it('never hands Codex an `rm -f` (Codex refuses those under approval never), and every script fits the limit', async () => {
    const { ws, root, log } = await shellWorkspace({ clock: () => 1_700_000_000 });
    await history(ws, root);
    await ws.removeFile(root, 'README.md');
    await ws.discardChanges(root);
    await ws.worktreeRemove(join(root, '..', 'wt-a'), { force: true });
    await ws.deleteBranch('feature-a');
    await ws.addExclude(root, '.thread-team/');
    await ws.run(root, 'true');
    for (const { cmd } of log.commands) {
      expect(cmd).not.toMatch(/\brm\s+(-\w*\s+)*-\w*f/);
      expect(Buffer.byteLength(cmd)).toBeLessThanOrEqual(100_000);
    }
  }, 60_000);

  it('run() gives the command its own output and exit code exactly, stderr included', async () => {
    const { ws, root } = await shellWorkspace({ commands: { check: `printf 'a\\nb'; echo oops >&2; exit 3` }, allowExec: true });
    await ws.init({ 'f.txt': 'x\n' }, 'main');
    expect(await ws.run(root, 'check')).toEqual({ exitCode: 3, output: 'a\nboops\n' });
    // Without allowExec only the listed commands run.
    const strict = await shellWorkspace({ commands: { check: 'exit 0' } });
    await strict.ws.init({ 'f.txt': 'x\n' }, 'main');
    expect(await strict.ws.run(strict.root, 'check')).toEqual({ exitCode: 0, output: '' });
    expect((await strict.ws.run(strict.root, 'pwd')).exitCode).toBe(127);
    expect(await ws.run(root, `printf '%s' "it's"`)).toEqual({ exitCode: 0, output: "it's" });
    expect(await ws.run(root, 'printf "\\n@@TT@@ exit 9\\n"; exit 0')).toEqual({ exitCode: 0, output: '\n@@TT@@ exit 9\n' });
    expect(await ws.run(root, 'pwd')).toEqual({ exitCode: 0, output: `${root}\n` });
    expect((await ws.run(root, 'kill -9 $$')).exitCode).toBe(137);
  }, 30_000);

  it('run() keeps the head and tail of an output over the budget, and always the exit code', async () => {
    const { ws, root } = await shellWorkspace({ maxOutputBytes: 1_500, allowExec: true });
    await ws.init({ 'f.txt': 'x\n' }, 'main');
    const long = await ws.run(root, 'seq 1 5000; echo failed >&2; exit 2');
    expect(long.exitCode).toBe(2);
    expect(long.output.startsWith('1\n2\n3\n')).toBe(true);
    expect(long.output.endsWith('4999\n5000\nfailed\n')).toBe(true);
    expect(long.output).toMatch(/\n\[… \d+ bytes of output cut by the shell workspace …\]\n/);
    expect(long.output.length).toBeLessThan(1_500);
    const unbounded = await shellWorkspace({ maxOutputBytes: Number.POSITIVE_INFINITY, allowExec: true });
    await unbounded.ws.init({}, 'main');
    expect((await unbounded.ws.run(unbounded.root, 'seq 1 5000')).output).toBe(Array.from({ length: 5000 }, (_, i) => `${i + 1}\n`).join(''));
  }, 30_000);

  it('an unexpected failure is an Error with the script output, not a WorkspaceError', async () => {
    const { ws, root } = await shellWorkspace();
    await ws.init({ 'f.txt': 'x\n' }, 'main');
    await ws.writeFile(root, 'f.txt', 'y\n');
    // A file where a directory is needed: mkdir -p fails inside the script.
    const err = await ws.writeFile(root, 'f.txt/inner.txt', 'z').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('Error');
    expect((err as Error).message).toMatch(/writeFile failed \(exit \d+\):.*f\.txt/s);
  });
});
