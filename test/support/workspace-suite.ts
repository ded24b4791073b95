// One behaviour, two workspaces: every implementation of the port runs this suite.

import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkspaceError, type Workspace } from '../../src/ports/workspace.ts';

/** A verification command both implementations can express: it passes (exit 0) when `file`
 *  exists and contains `contains`, and fails (exit 1) otherwise. */
export interface SuiteCommand {
  file: string;
  contains: string;
}

export type MakeWorkspace = (commands: Record<string, SuiteCommand>) => Promise<Workspace>;

/** Reads a file by absolute path from wherever `ws` keeps its files (the exclude file lives
 *  outside every checkout, so the port itself cannot read it); null when missing. */
export type ReadAbsolute = (ws: Workspace, path: string) => Promise<string | null>;

const FILES = {
  'README.md': '# demo\n',
  'src/app.txt': 'line one\nline two\nline three\n',
  'src/shared.txt': 'alpha\nbeta\ngamma\n',
};

const TEST_COMMAND = 'npm test';
const COMMANDS: Record<string, SuiteCommand> = { [TEST_COMMAND]: { file: 'status.txt', contains: 'green' } };

async function refused(promise: Promise<unknown>, code: WorkspaceError['code']): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected a WorkspaceError ${code}`).toBeInstanceOf(WorkspaceError);
  expect((err as WorkspaceError).code).toBe(code);
}

export function workspaceSuite(name: string, make: MakeWorkspace, readAbsolute: ReadAbsolute): void {
  /** A fresh repository on `main` with FILES committed, and a place for worktrees beside it. */
  async function setup() {
    const ws = await make(COMMANDS);
    const initial = await ws.init(FILES, 'main');
    const root = ws.root;
    const wt = (label: string) => posix.join(posix.dirname(root), `wt-${label}`);
    return { ws, root, initial, wt };
  }

  describe(`workspace: ${name}`, () => {
    it('init commits the files on the branch', async () => {
      const { ws, root, initial } = await setup();
      expect(initial).toMatch(/^[0-9a-f]{40}$/);
      expect(await ws.resolve('main')).toBe(initial);
      expect(await ws.resolve('HEAD')).toBe(initial);
      expect(await ws.resolve(initial)).toBe(initial);
      expect(await ws.branches()).toEqual(['main']);
      expect(await ws.currentBranch(root)).toBe('main');
      expect(await ws.listFiles(root)).toEqual(['README.md', 'src/app.txt', 'src/shared.txt']);
      expect(await ws.readFile(root, 'src/app.txt')).toBe(FILES['src/app.txt']);
      expect(await ws.readFile(root, 'missing.txt')).toBeNull();
      expect(await ws.status(root)).toEqual([]);
      const log = await ws.log('main');
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ sha: initial, parents: [] });
      expect(await ws.worktrees()).toEqual([{ dir: root, branch: 'main', head: initial }]);
      await refused(ws.resolve('no-such-branch'), 'unknown-ref');
    });

    it('refuses paths outside the checkout and dirs that are not checkouts', async () => {
      const { ws, root, wt } = await setup();
      await refused(ws.readFile(root, '../escape.txt'), 'outside-checkout');
      await refused(ws.writeFile(root, '/etc/passwd', 'x'), 'outside-checkout');
      await refused(ws.writeFile(root, '.git/config', 'x'), 'outside-checkout');
      await refused(ws.readFile(wt('nowhere'), 'README.md'), 'not-a-checkout');
      await refused(ws.status(wt('nowhere')), 'not-a-checkout');
    });

    it('worktreeAdd gives a checkout with its own HEAD and branch; its commits show up as the branch', async () => {
      const { ws, root, initial, wt } = await setup();
      const a = wt('a');
      const b = wt('b');
      expect(await ws.worktreeAdd(a, 'feature-a', 'main')).toBe(initial);
      await ws.worktreeAdd(b, 'feature-b', initial);
      expect(await ws.currentBranch(a)).toBe('feature-a');
      expect(await ws.currentBranch(root)).toBe('main');
      expect(await ws.listFiles(a)).toEqual(['README.md', 'src/app.txt', 'src/shared.txt']);
      expect(await ws.status(a)).toEqual([]);

      await ws.writeFile(a, 'src/new.txt', 'new\n');
      expect(await ws.status(a)).toEqual([{ path: 'src/new.txt', kind: 'added' }]);
      expect(await ws.status(root)).toEqual([]);
      const sha = await ws.commitAll(a, 'add new');
      expect(sha).toMatch(/^[0-9a-f]{40}$/);
      expect(await ws.resolve('feature-a')).toBe(sha);
      expect(await ws.resolve('main')).toBe(initial);
      expect(await ws.resolve('HEAD')).toBe(initial);
      expect(await ws.readFile(root, 'src/new.txt')).toBeNull();
      expect(await ws.branches()).toEqual(['feature-a', 'feature-b', 'main']);
      expect(await ws.worktrees()).toEqual([
        { dir: root, branch: 'main', head: initial },
        { dir: a, branch: 'feature-a', head: sha },
        { dir: b, branch: 'feature-b', head: initial },
      ]);
      const log = await ws.log('feature-a');
      expect(log.map((c) => c.message)).toEqual(['add new', 'Initial commit']);
      expect(log[0]!.parents).toEqual([initial]);
      expect(await ws.log('feature-a', 1)).toHaveLength(1);
    });

    it('worktreeAdd refuses an existing dir, an existing branch and an unknown base', async () => {
      const { ws, wt } = await setup();
      await ws.worktreeAdd(wt('a'), 'feature-a', 'main');
      await refused(ws.worktreeAdd(wt('a'), 'feature-x', 'main'), 'dir-exists');
      await refused(ws.worktreeAdd(wt('b'), 'feature-a', 'main'), 'branch-exists');
      await refused(ws.worktreeAdd(wt('c'), 'main', 'main'), 'branch-exists');
      await refused(ws.worktreeAdd(wt('d'), 'feature-d', 'no-such-base'), 'unknown-ref');
      expect((await ws.worktrees()).map((w) => w.branch)).toEqual(['main', 'feature-a']);
    });

    it('a branch checked out in one worktree cannot be checked out in another', async () => {
      const { ws, root, wt } = await setup();
      await ws.worktreeAdd(wt('a'), 'feature-a', 'main');
      await ws.worktreeAdd(wt('b'), 'feature-b', 'main');
      await refused(ws.checkout(wt('b'), 'feature-a'), 'branch-checked-out');
      await refused(ws.checkout(root, 'feature-a'), 'branch-checked-out');
      await refused(ws.checkout(wt('a'), 'main'), 'branch-checked-out');
      expect(await ws.currentBranch(wt('b'))).toBe('feature-b');
      // Checking out the branch a checkout already has is fine.
      await ws.checkout(wt('a'), 'feature-a');
    });

    it('a checked-out branch cannot be deleted; others can', async () => {
      const { ws, wt } = await setup();
      await ws.worktreeAdd(wt('a'), 'feature-a', 'main');
      await refused(ws.deleteBranch('main'), 'branch-checked-out');
      await refused(ws.deleteBranch('feature-a'), 'branch-checked-out');
      await refused(ws.deleteBranch('no-such-branch'), 'unknown-ref');
      await ws.worktreeRemove(wt('a'));
      await ws.deleteBranch('feature-a');
      expect(await ws.branches()).toEqual(['main']);
    });

    it('worktreeRemove refuses uncommitted changes unless forced, and keeps the branch', async () => {
      const { ws, root, wt } = await setup();
      const a = wt('a');
      await ws.worktreeAdd(a, 'feature-a', 'main');
      await ws.writeFile(a, 'src/app.txt', 'changed\n');
      await refused(ws.worktreeRemove(a), 'dirty');
      await ws.writeFile(a, 'src/app.txt', FILES['src/app.txt']);
      await ws.writeFile(a, 'untracked.txt', 'u\n');
      await refused(ws.worktreeRemove(a), 'dirty');
      await ws.worktreeRemove(a, { force: true });
      expect((await ws.worktrees()).map((w) => w.dir)).toEqual([root]);
      expect(await ws.branches()).toEqual(['feature-a', 'main']);
      await refused(ws.readFile(a, 'README.md'), 'not-a-checkout');
      await refused(ws.worktreeRemove(a), 'not-a-checkout');
      await refused(ws.worktreeRemove(root), 'not-a-checkout');
      // The branch is free again: a new worktree (same dir) can take it.
      await ws.checkout(root, 'feature-a');
      await ws.checkout(root, 'main');
      await ws.worktreeAdd(a, 'feature-a2', 'feature-a');
      expect(await ws.currentBranch(a)).toBe('feature-a2');
    });

    it('a clean worktree is removed without force, excluded files and all', async () => {
      const { ws, root, wt } = await setup();
      const a = wt('a');
      await ws.addExclude(root, '.thread-team/');
      await ws.worktreeAdd(a, 'feature-a', 'main');
      await ws.writeFile(a, '.thread-team/report.md', 'done\n');
      await ws.worktreeRemove(a);
      expect((await ws.worktrees()).map((w) => w.dir)).toEqual([root]);
    });

    it('status and commitAll honour the exclude file in every checkout', async () => {
      const { ws, root, initial, wt } = await setup();
      const a = wt('a');
      await ws.worktreeAdd(a, 'feature-a', 'main');
      const exclude = await ws.excludeFile(root);
      expect(exclude).toBe(posix.join(root, '.git/info/exclude'));
      expect(await ws.excludeFile(a)).toBe(exclude);

      await ws.addExclude(a, '.thread-team/');
      await ws.addExclude(root, '.thread-team/');
      await ws.addExclude(root, '*.log');
      for (const dir of [root, a]) {
        await ws.writeFile(dir, '.thread-team/report.md', 'report\n');
        await ws.writeFile(dir, '.thread-team/notes/n.md', 'notes\n');
        await ws.writeFile(dir, 'build.log', 'log\n');
        await ws.writeFile(dir, 'src/deep/trace.log', 'log\n');
        expect(await ws.status(dir)).toEqual([]);
        expect(await ws.commitAll(dir, 'nothing')).toBeNull();
        expect(await ws.listFiles(dir)).toContain('.thread-team/report.md');
        expect(await ws.readFile(dir, '.thread-team/report.md')).toBe('report\n');
      }

      await ws.writeFile(a, 'src/app.txt', 'changed\n');
      await ws.writeFile(a, 'src/added.txt', 'added\n');
      await ws.removeFile(a, 'README.md');
      expect(await ws.status(a)).toEqual([
        { path: 'README.md', kind: 'deleted' },
        { path: 'src/added.txt', kind: 'added' },
        { path: 'src/app.txt', kind: 'modified' },
      ]);
      const sha = await ws.commitAll(a, 'work');
      expect(sha).not.toBeNull();
      expect(await ws.status(a)).toEqual([]);
      expect(await ws.changedFiles(initial, sha!)).toEqual([
        { path: 'README.md', kind: 'deleted' },
        { path: 'src/added.txt', kind: 'added' },
        { path: 'src/app.txt', kind: 'modified' },
      ]);
      expect(await ws.commitAll(a, 'again')).toBeNull();
    });

    it('addExclude appends a pattern once', async () => {
      const { ws, root } = await setup();
      await ws.addExclude(root, '.thread-team/');
      await ws.addExclude(root, '.thread-team/');
      await ws.addExclude(root, '*.log');
      const lines = ((await readAbsolute(ws, await ws.excludeFile(root))) ?? '').split('\n');
      expect(lines.filter((l) => l === '.thread-team/')).toHaveLength(1);
      expect(lines.filter((l) => l === '*.log')).toHaveLength(1);
    });

    it('changedFiles lists additions, modifications and deletions sorted by path', async () => {
      const { ws, root, initial } = await setup();
      await ws.writeFile(root, 'z.txt', 'z\n');
      await ws.writeFile(root, 'a.txt', 'a\n');
      await ws.writeFile(root, 'src/shared.txt', 'changed\n');
      await ws.removeFile(root, 'src/app.txt');
      const sha = (await ws.commitAll(root, 'mix'))!;
      expect(await ws.changedFiles(initial, sha)).toEqual([
        { path: 'a.txt', kind: 'added' },
        { path: 'src/app.txt', kind: 'deleted' },
        { path: 'src/shared.txt', kind: 'modified' },
        { path: 'z.txt', kind: 'added' },
      ]);
      expect(await ws.changedFiles(sha, initial)).toEqual([
        { path: 'a.txt', kind: 'deleted' },
        { path: 'src/app.txt', kind: 'added' },
        { path: 'src/shared.txt', kind: 'modified' },
        { path: 'z.txt', kind: 'deleted' },
      ]);
      expect(await ws.changedFiles('main', 'main')).toEqual([]);
    });

    it('merge fast-forwards and updates the working tree', async () => {
      const { ws, root, initial, wt } = await setup();
      const a = wt('a');
      await ws.worktreeAdd(a, 'feature-a', 'main');
      await ws.writeFile(a, 'src/new.txt', 'new\n');
      await ws.removeFile(a, 'README.md');
      await ws.writeFile(a, 'src/app.txt', 'rewritten\n');
      const tip = (await ws.commitAll(a, 'feature work'))!;

      expect(await ws.merge(root, 'feature-a', 'merge feature-a')).toEqual({ kind: 'fast-forward', sha: tip });
      expect(await ws.resolve('main')).toBe(tip);
      expect(await ws.readFile(root, 'src/new.txt')).toBe('new\n');
      expect(await ws.readFile(root, 'src/app.txt')).toBe('rewritten\n');
      expect(await ws.readFile(root, 'README.md')).toBeNull();
      expect(await ws.status(root)).toEqual([]);
      expect(await ws.merge(root, 'feature-a', 'again')).toEqual({ kind: 'up-to-date', sha: tip });
      expect(await ws.merge(root, initial, 'older')).toEqual({ kind: 'up-to-date', sha: tip });
    });

    it('merge makes a three-way merge commit with both parents', async () => {
      const { ws, root, wt } = await setup();
      const a = wt('a');
      await ws.worktreeAdd(a, 'feature-a', 'main');
      await ws.writeFile(a, 'src/app.txt', 'line one\nline two (feature)\nline three\n');
      await ws.writeFile(a, 'feature.txt', 'feature\n');
      const theirs = (await ws.commitAll(a, 'feature work'))!;
      await ws.writeFile(root, 'src/shared.txt', 'alpha\nbeta (main)\ngamma\n');
      await ws.removeFile(root, 'README.md');
      const ours = (await ws.commitAll(root, 'main work'))!;

      const result = await ws.merge(root, 'feature-a', 'merge feature-a');
      expect(result.kind).toBe('merged');
      const sha = (result as { sha: string }).sha;
      expect(await ws.resolve('main')).toBe(sha);
      const [commit] = await ws.log('main', 1);
      expect(commit).toEqual({ sha, message: 'merge feature-a', parents: [ours, theirs] });
      expect(await ws.readFile(root, 'feature.txt')).toBe('feature\n');
      expect(await ws.readFile(root, 'src/app.txt')).toBe('line one\nline two (feature)\nline three\n');
      expect(await ws.readFile(root, 'src/shared.txt')).toBe('alpha\nbeta (main)\ngamma\n');
      expect(await ws.readFile(root, 'README.md')).toBeNull();
      expect(await ws.status(root)).toEqual([]);
      expect(await ws.isAncestor(theirs, 'main')).toBe(true);
      expect(await ws.mergeBase('main', 'feature-a')).toBe(theirs);
      // The worker's worktree is untouched by the merge into main.
      expect(await ws.readFile(a, 'README.md')).toBe(FILES['README.md']);
    });

    it('merge refuses uncommitted changes', async () => {
      const { ws, root, wt } = await setup();
      await ws.worktreeAdd(wt('a'), 'feature-a', 'main');
      await ws.writeFile(wt('a'), 'f.txt', 'f\n');
      await ws.commitAll(wt('a'), 'f');
      await ws.writeFile(root, 'src/app.txt', 'dirty\n');
      await refused(ws.merge(root, 'feature-a', 'merge'), 'dirty');
      await refused(ws.merge(root, 'no-such-branch', 'merge'), 'dirty');
      await ws.writeFile(root, 'src/app.txt', FILES['src/app.txt']);
      await refused(ws.merge(root, 'no-such-branch', 'merge'), 'unknown-ref');
    });

    it('a real conflict: markers, merge in progress, abort, then resolve and commit', async () => {
      const { ws, root, wt } = await setup();
      const a = wt('a');
      await ws.worktreeAdd(a, 'feature-a', 'main');
      await ws.writeFile(a, 'src/shared.txt', 'alpha\nbeta from feature\ngamma\n');
      await ws.writeFile(a, 'feature-only.txt', 'feature\n');
      await ws.removeFile(a, 'README.md');
      const theirs = (await ws.commitAll(a, 'feature edits beta'))!;
      await ws.writeFile(root, 'src/shared.txt', 'alpha\nbeta from main\ngamma\n');
      const ours = (await ws.commitAll(root, 'main edits beta'))!;

      expect(await ws.merge(root, 'feature-a', 'merge feature-a')).toEqual({ kind: 'conflict', paths: ['src/shared.txt'] });
      const marked = (await ws.readFile(root, 'src/shared.txt'))!;
      expect(marked).toContain('<<<<<<<');
      expect(marked).toContain('=======');
      expect(marked).toContain('>>>>>>>');
      expect(marked).toContain('beta from main');
      expect(marked).toContain('beta from feature');
      expect(await ws.readFile(root, 'feature-only.txt')).toBe('feature\n');
      expect(await ws.readFile(root, 'README.md')).toBeNull();
      expect(await ws.mergeInProgress(root)).toBe(true);
      expect(await ws.mergeInProgress(a)).toBe(false);
      await refused(ws.commitAll(root, 'no'), 'merge-in-progress');
      await refused(ws.merge(root, 'feature-a', 'no'), 'merge-in-progress');
      await refused(ws.checkout(root, 'feature-a'), 'merge-in-progress');
      expect(await ws.resolve('main')).toBe(ours);

      await ws.abortMerge(root);
      expect(await ws.mergeInProgress(root)).toBe(false);
      expect(await ws.readFile(root, 'src/shared.txt')).toBe('alpha\nbeta from main\ngamma\n');
      expect(await ws.readFile(root, 'feature-only.txt')).toBeNull();
      expect(await ws.readFile(root, 'README.md')).toBe(FILES['README.md']);
      expect(await ws.status(root)).toEqual([]);
      expect(await ws.resolve('main')).toBe(ours);
      await refused(ws.abortMerge(root), 'no-merge-in-progress');
      await refused(ws.commitMerge(root, 'nothing to finish'), 'no-merge-in-progress');

      expect((await ws.merge(root, 'feature-a', 'merge feature-a')).kind).toBe('conflict');
      await ws.writeFile(root, 'src/shared.txt', 'alpha\nbeta from both\ngamma\n');
      const merged = await ws.commitMerge(root, 'merge feature-a, resolved');
      expect(await ws.mergeInProgress(root)).toBe(false);
      expect(await ws.resolve('main')).toBe(merged);
      expect(await ws.log('main', 1)).toEqual([{ sha: merged, message: 'merge feature-a, resolved', parents: [ours, theirs] }]);
      expect(await ws.status(root)).toEqual([]);
      expect(await ws.changedFiles(ours, merged)).toEqual([
        { path: 'README.md', kind: 'deleted' },
        { path: 'feature-only.txt', kind: 'added' },
        { path: 'src/shared.txt', kind: 'modified' },
      ]);
      expect(await ws.readFile(root, 'src/shared.txt')).toBe('alpha\nbeta from both\ngamma\n');
    });

    it('reports add/add and modify/delete conflicts too', async () => {
      const { ws, root, wt } = await setup();
      const a = wt('a');
      await ws.worktreeAdd(a, 'feature-a', 'main');
      await ws.writeFile(a, 'both-added.txt', 'from feature\n');
      await ws.removeFile(a, 'src/app.txt');
      await ws.commitAll(a, 'feature');
      await ws.writeFile(root, 'both-added.txt', 'from main\n');
      await ws.writeFile(root, 'src/app.txt', 'main changed this\n');
      const ours = (await ws.commitAll(root, 'main'))!;
      expect(await ws.merge(root, 'feature-a', 'merge')).toEqual({ kind: 'conflict', paths: ['both-added.txt', 'src/app.txt'] });
      const both = (await ws.readFile(root, 'both-added.txt'))!;
      expect(both).toContain('from main');
      expect(both).toContain('from feature');
      await ws.abortMerge(root);
      expect(await ws.readFile(root, 'both-added.txt')).toBe('from main\n');
      expect(await ws.readFile(root, 'src/app.txt')).toBe('main changed this\n');
      expect(await ws.status(root)).toEqual([]);
      expect((await ws.merge(root, 'feature-a', 'merge')).kind).toBe('conflict');
      await ws.writeFile(root, 'both-added.txt', 'from both\n');
      await ws.removeFile(root, 'src/app.txt');
      const merged = await ws.commitMerge(root, 'merged');
      expect(await ws.changedFiles(ours, merged)).toEqual([
        { path: 'both-added.txt', kind: 'modified' },
        { path: 'src/app.txt', kind: 'deleted' },
      ]);
    });

    it('a conflict inside a linked worktree stays in that worktree', async () => {
      const { ws, root, wt } = await setup();
      const a = wt('a');
      await ws.worktreeAdd(a, 'feature-a', 'main');
      await ws.writeFile(a, 'src/app.txt', 'feature\n');
      await ws.commitAll(a, 'feature');
      await ws.writeFile(root, 'src/app.txt', 'main\n');
      const mainTip = (await ws.commitAll(root, 'main'))!;
      expect(await ws.merge(a, 'main', 'sync main')).toEqual({ kind: 'conflict', paths: ['src/app.txt'] });
      expect(await ws.mergeInProgress(a)).toBe(true);
      expect(await ws.mergeInProgress(root)).toBe(false);
      expect(await ws.readFile(root, 'src/app.txt')).toBe('main\n');
      await ws.writeFile(a, 'src/app.txt', 'both\n');
      const sha = await ws.commitMerge(a, 'sync main');
      expect(await ws.resolve('feature-a')).toBe(sha);
      expect(await ws.resolve('main')).toBe(mainTip);
      expect((await ws.log('feature-a', 1))[0]!.parents[1]).toBe(mainTip);
    });

    it('checkout switches branches or detaches at a SHA', async () => {
      const { ws, root, initial, wt } = await setup();
      const a = wt('a');
      await ws.worktreeAdd(a, 'feature-a', 'main');
      await ws.writeFile(a, 'feature.txt', 'feature\n');
      const tip = (await ws.commitAll(a, 'feature'))!;
      await ws.worktreeRemove(a);

      await ws.checkout(root, 'feature-a');
      expect(await ws.currentBranch(root)).toBe('feature-a');
      expect(await ws.readFile(root, 'feature.txt')).toBe('feature\n');
      expect(await ws.resolve('HEAD')).toBe(tip);
      await ws.checkout(root, initial);
      expect(await ws.currentBranch(root)).toBeNull();
      expect(await ws.readFile(root, 'feature.txt')).toBeNull();
      expect((await ws.worktrees())[0]).toEqual({ dir: root, branch: null, head: initial });
      await ws.checkout(root, 'main');
      expect(await ws.currentBranch(root)).toBe('main');
      await refused(ws.checkout(root, 'no-such-branch'), 'unknown-ref');
      await ws.writeFile(root, 'README.md', 'dirty\n');
      await refused(ws.checkout(root, 'feature-a'), 'dirty');
    });

    it('run() judges the working tree with a scenario command; unknown commands exit 127', async () => {
      const { ws, root, wt } = await setup();
      const failing = await ws.run(root, TEST_COMMAND);
      expect(failing.exitCode).not.toBe(0);
      await ws.worktreeAdd(wt('a'), 'feature-a', 'main');
      await ws.writeFile(wt('a'), 'status.txt', 'all green\n');
      expect((await ws.run(wt('a'), TEST_COMMAND)).exitCode).toBe(0);
      expect((await ws.run(root, TEST_COMMAND)).exitCode).not.toBe(0);
      const unknown = await ws.run(root, 'no-such-command-xyz');
      expect(unknown.exitCode).toBe(127);
      expect(unknown.output).toContain('no-such-command-xyz');
      await refused(ws.run(wt('nowhere'), TEST_COMMAND), 'not-a-checkout');
    });

    it('mergeBase and isAncestor', async () => {
      const { ws, root, initial, wt } = await setup();
      await ws.worktreeAdd(wt('a'), 'feature-a', 'main');
      await ws.writeFile(wt('a'), 'a.txt', 'a\n');
      const featureTip = (await ws.commitAll(wt('a'), 'a'))!;
      await ws.writeFile(root, 'm.txt', 'm\n');
      const mainTip = (await ws.commitAll(root, 'm'))!;
      expect(await ws.mergeBase('main', 'feature-a')).toBe(initial);
      expect(await ws.mergeBase(featureTip, mainTip)).toBe(initial);
      expect(await ws.mergeBase('main', 'main')).toBe(mainTip);
      expect(await ws.isAncestor(initial, 'feature-a')).toBe(true);
      expect(await ws.isAncestor('feature-a', 'main')).toBe(false);
      expect(await ws.isAncestor('main', 'main')).toBe(true);
      expect(await ws.isAncestor('main', initial)).toBe(false);
    });

    it('setBranch moves a branch ref', async () => {
      const { ws, root, initial, wt } = await setup();
      await ws.worktreeAdd(wt('a'), 'feature-a', 'main');
      await ws.worktreeRemove(wt('a'));
      await ws.writeFile(root, 'm.txt', 'm\n');
      const tip = (await ws.commitAll(root, 'm'))!;
      await ws.setBranch('feature-a', tip);
      expect(await ws.resolve('feature-a')).toBe(tip);
      await ws.setBranch('feature-a', initial);
      expect(await ws.resolve('feature-a')).toBe(initial);
      await refused(ws.setBranch('feature-a', '0123456789012345678901234567890123456789'), 'unknown-ref');
      expect(await ws.resolve('feature-a')).toBe(initial);
    });

    it('discardChanges resets tracked files, removes untracked ones and keeps excluded ones', async () => {
      const { ws, root } = await setup();
      await ws.addExclude(root, '.thread-team/');
      const [tracked] = (await ws.listFiles(root)).filter((f) => !f.startsWith('.'));
      const before = await ws.readFile(root, tracked!);
      await ws.writeFile(root, tracked!, 'stray edit\n');
      await ws.writeFile(root, 'stray/new.txt', 'stray\n');
      await ws.writeFile(root, '.thread-team/run/state.md', 'journal\n');
      expect((await ws.status(root)).length).toBe(2);
      await ws.discardChanges(root);
      expect(await ws.readFile(root, tracked!)).toBe(before);
      expect(await ws.readFile(root, 'stray/new.txt')).toBeNull();
      expect(await ws.readFile(root, '.thread-team/run/state.md')).toBe('journal\n');
      expect(await ws.status(root)).toEqual([]);
    });
  });
}

/**
 * A repository and a worktree side by side in `parent/folder` (by default a folder whose name
 * holds a newline, which a git answer read a line at a time cuts in two): each is known as a
 * checkout and listed by its own path, and the folder above them is not a checkout.
 */
export async function checkoutsIn(make: (root: string) => Workspace, parent: string, folder = 'two\nlines'): Promise<void> {
  const base = join(parent, folder);
  const root = join(base, 'repo');
  const ws = make(root);
  await ws.init({ 'a.txt': 'a\n' }, 'main');
  const wt = join(base, 'wt');
  await ws.worktreeAdd(wt, 'feature', 'main');
  await ws.writeFile(wt, 'b.txt', 'b\n');
  expect(await ws.readFile(wt, 'b.txt')).toBe('b\n');
  expect(await ws.commitAll(wt, 'b')).toMatch(/^[0-9a-f]{40}$/);
  expect(await ws.status(root)).toEqual([]);
  expect((await ws.worktrees()).map((w) => [w.dir, w.branch])).toEqual([
    [root, 'main'],
    [wt, 'feature'],
  ]);
  await expect(ws.readFile(base, 'a.txt')).rejects.toMatchObject({ code: 'not-a-checkout' });
}

/**
 * Runs `fn` with a git first on PATH that refuses `worktree list -z` as a git older than 2.36
 * does (an unknown switch, exit 129), and is the real one otherwise; with `listFails`, it fails
 * the plain `worktree list` too (exit 128). PATH is put back after.
 */
export async function withGitWithoutZ<T>(dir: string, fn: () => Promise<T>, opts: { listFails?: boolean } = {}): Promise<T> {
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const bin = join(dir, 'old-git');
  await mkdir(bin);
  const fails = opts.listFails ? `[ -n "$w" ] && { echo 'fatal: cannot list worktrees' >&2; exit 128; }\n` : '';
  await writeFile(
    join(bin, 'git'),
    `#!/bin/sh\nfor a; do [ "$a" = worktree ] && w=1; [ "$a" = -z ] && [ -n "$w" ] && { echo "error: unknown switch \\\`z'" >&2; exit 129; }; done\n${fails}exec ${real} "$@"\n`,
    { mode: 0o755 },
  );
  const path = process.env.PATH;
  process.env.PATH = `${bin}:${path}`;
  try {
    return await fn();
  } finally {
    process.env.PATH = path;
  }
}

/** With a git older than 2.36 that then fails to list worktrees: the failure is reported, never read as a list. */
export async function failedListIn(make: (root: string) => Workspace, parent: string): Promise<void> {
  await withGitWithoutZ(
    parent,
    async () => {
      const ws = make(join(parent, 'repo'));
      await ws.init({ 'a.txt': 'a\n' }, 'main');
      await expect(ws.worktrees()).rejects.toThrow(/cannot list worktrees/);
    },
    { listFails: true },
  );
}
