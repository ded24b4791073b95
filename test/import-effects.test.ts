// What a command did, read from its text, where it ran, its exit code and what it printed
// (app/import/effects.ts): the acts the invariants judge, as a model at the keyboard types them.

import { describe, expect, it } from 'vitest';
import { EffectReader, simpleCommands } from '../app/import/effects.ts';
import { commandEvidence } from '../app/import/rollout.ts';
import { journalPathRegex } from '../src/skill/paths.ts';

const ROOT = '/home/me/app';
const reader = (verify: string[] = [], workers: string[] = []) =>
  new EffectReader(
    { root: ROOT, journal: journalPathRegex('.thread-team/<leader-thread-id>/state.md'), reportPath: '.thread-team/report.md', verify },
    workers,
  );
const exited = (code: number, said = '') => `Chunk ID: a\nWall time: 0.1 seconds\nProcess exited with code ${code}\nOriginal token count: 3\nOutput:\n${said}`;
const run = (r: EffectReader, cmd: string, code = 0, said = '', cwd = ROOT) => r.command(cmd, cwd, code, commandEvidence(exited(code, said)));

describe('simple commands of a command line', () => {
  it('splits on operators, keeps quoted words whole, reads redirections and heredocs', () => {
    const cmds = simpleCommands(
      `cd '/a b' && git merge -m "it's done" x; echo hi >> "out file" 2>&1 | tee -a log\ncat > j.md <<'EOF'\n# state\n- a && b > c\nEOF\nls`,
    );
    expect(cmds.map((c) => c.words)).toEqual([['cd', '/a b'], ['git', 'merge', '-m', "it's done", 'x'], ['echo', 'hi'], ['tee', '-a', 'log'], ['cat'], ['ls']]);
    expect(cmds[2]!.out).toEqual([{ append: true, target: 'out file' }]);
    expect(cmds[4]).toMatchObject({ out: [{ append: false, target: 'j.md' }], heredoc: '# state\n- a && b > c' });
  });
  it('a command substitution stays one word; a backslash escapes; <<- strips the delimiter indent', () => {
    expect(simpleCommands(`printf '%s\\n' x >> "$(git rev-parse --git-path info/exclude)"`)[0]!.out[0]!.target).toBe(
      '$(git rev-parse --git-path info/exclude)',
    );
    expect(simpleCommands('echo a\\ b')[0]!.words).toEqual(['echo', 'a b']);
    expect(simpleCommands('cat <<-END > f\n\tbody\n\tEND\necho after').map((c) => c.words)).toEqual([['cat'], ['echo', 'after']]);
  });
});

describe('merges', () => {
  it('a clean merge, a fast-forward and one already in, by what git said', () => {
    const r = reader();
    expect(run(r, 'git merge --no-ff worker/api -m "merge api"', 0, "Merge made by the 'ort' strategy.\n")).toEqual([
      { op: 'merge', dir: ROOT, ref: 'worker/api', ok: true, detail: 'merged' },
    ]);
    expect(run(r, 'git merge worker/ui', 0, 'Updating a..b\nFast-forward\n')[0]).toMatchObject({ ref: 'worker/ui', detail: 'fast-forward' });
    expect(run(r, 'git merge worker/ui', 0, 'Already up to date.\n')[0]).toMatchObject({ detail: 'up-to-date' });
  });
  it('two merges in one command, then the tests: both merges, then the run, in order', () => {
    const acts = run(reader(), 'git merge --no-edit a && git merge --no-edit b && npm test', 0);
    expect(acts.map((a) => [a.op, a.ref ?? a.detail])).toEqual([
      ['merge', 'a'],
      ['merge', 'b'],
      ['run', 'npm test -> exit 0'],
    ]);
  });
  it('a conflict: the last merge conflicted, the one before it was made; the commit after ends it', () => {
    const r = reader();
    const said =
      "Merge made by the 'ort' strategy.\nAuto-merging x\nCONFLICT (content): Merge conflict in x\nAutomatic merge failed; fix conflicts and then commit the result.\n";
    expect(run(r, 'git merge a && git merge b', 1, said).map((a) => [a.ref, a.ok, a.detail])).toEqual([
      ['a', true, 'merged'],
      ['b', true, 'conflict'],
    ]);
    expect(run(r, 'git add -A && git commit --no-edit', 0)).toEqual([{ op: 'commitMerge', dir: ROOT, ok: true }]);
    // No merge in conflict any more: a commit is a commit.
    expect(run(r, 'git commit -am "fix"', 0)).toEqual([{ op: 'commitAll', dir: ROOT, ok: true, detail: 'fix' }]);
  });
  it('a failed command whose merge git never confirmed: the merge is not taken as made', () => {
    expect(run(reader(), 'git merge nope', 1, 'merge: nope - not something we can merge\n')).toEqual([
      { op: 'merge', dir: ROOT, ref: 'nope', ok: false, detail: 'unknown: the command failed and git did not say this merge was made' },
    ]);
  });
  it('--abort and --continue; -C and cd say where', () => {
    const r = reader();
    expect(run(r, 'git -C /elsewhere merge --abort', 0)).toEqual([{ op: 'abortMerge', dir: '/elsewhere', ok: true }]);
    expect(run(r, 'cd sub && git merge --continue', 0)).toEqual([{ op: 'commitMerge', dir: `${ROOT}/sub`, ok: true }]);
  });
});

describe('worktrees, diffs, branches', () => {
  it('worktree add and remove, relative to where the command ran', () => {
    const r = reader();
    expect(run(r, 'git worktree add -b worker/api ../wt-api main', 0)).toEqual([
      { op: 'worktreeAdd', dir: '/home/me/wt-api', ref: 'worker/api', detail: 'base main', ok: true },
    ]);
    expect(run(r, 'git worktree remove --force ../wt-api', 0)).toEqual([{ op: 'worktreeRemove', dir: '/home/me/wt-api', detail: 'force', ok: true }]);
  });
  it('git diff, show and log -p are reviews; branch -D and -f and reset --hard are changes', () => {
    const ops = (cmd: string) => run(reader(), cmd).map((a) => a.op);
    expect(ops('git diff main...worker/api')).toEqual(['changedFiles']);
    expect(ops('git --no-pager show HEAD')).toEqual(['changedFiles']);
    expect(ops('git log -p -3')).toEqual(['changedFiles']);
    expect(ops('git log --oneline')).toEqual([]);
    expect(ops('git branch -D a b')).toEqual(['deleteBranch', 'deleteBranch']);
    expect(ops('git branch -f a HEAD')).toEqual(['setBranch']);
    expect(ops('git reset --hard')).toEqual(['discardChanges']);
  });
});

describe('build and test runs', () => {
  it('the common commands by default, with their exit code', () => {
    const detail = (cmd: string, code = 0) => run(reader(), cmd, code).find((a) => a.op === 'run')?.detail;
    expect(detail('npm test', 1)).toBe('npm test -> exit 1');
    expect(detail('pnpm run build')).toBe('pnpm run build -> exit 0');
    expect(detail('make test')).toBe('make test -> exit 0');
    expect(detail('python3 -m pytest -q')).toBe('python3 -m pytest -q -> exit 0');
    expect(detail('cargo test --all')).toBe('cargo test --all -> exit 0');
    expect(detail('go test ./...')).toBe('go test ./... -> exit 0');
    expect(detail('npm install')).toBeUndefined();
    expect(detail('echo npm test')).toBeUndefined();
  });
  it('--verify names them instead', () => {
    const r = reader(['./scripts/check.sh']);
    expect(run(r, './scripts/check.sh --fast').map((a) => a.op)).toEqual(['run']);
    expect(run(r, 'npm test').map((a) => a.op)).toEqual([]);
  });
  it('a command that never reported an exit is no run', () => {
    expect(reader().command('npm test', ROOT, null, '')).toEqual([]);
  });
});

describe('journal writes, reads and the exclude file', () => {
  const J = '.thread-team/L1/state.md';
  it('a heredoc written whole carries its content; an append does not', () => {
    expect(run(reader(), `mkdir -p .thread-team/L1 && cat > ${J} <<'EOF'\n# state\nphase: merge\nEOF`)).toEqual([
      { op: 'writeFile', dir: ROOT, paths: [J], ok: true, content: '# state\nphase: merge\n' },
    ]);
    expect(run(reader(), `echo "- merged api" >> ${ROOT}/${J}`)).toEqual([{ op: 'writeFile', dir: ROOT, paths: [J], ok: true }]);
  });
  it('tee, cp, mv, sed -i and a script naming the journal are writes; a read is not', () => {
    const ops = (cmd: string) => run(reader(), cmd).map((a) => `${a.op} ${a.paths?.[0]}`);
    expect(ops(`printf x | tee ${J}`)).toEqual([`writeFile ${J}`]);
    expect(ops(`cp /tmp/s.md ${J}`)).toEqual([`writeFile ${J}`]);
    expect(ops(`mv /tmp/s.md ${J}`)).toEqual([`writeFile ${J}`]);
    expect(ops(`sed -i 's/a/b/' ${J}`)).toEqual([`writeFile ${J}`]);
    expect(ops(`python3 - <<'EOF'\nopen('${J}', 'w').write('x')\nEOF`)).toEqual([`writeFile ${J}`]);
    expect(ops(`cat ${J}`)).toEqual([]);
    expect(ops('echo hi > notes.md')).toEqual([]);
  });
  it("a worker's report read where it lies; a worker's own cwd when named bare", () => {
    const r = reader([], ['/home/me/wt-ui']);
    expect(run(r, 'cat ../wt-api/.thread-team/report.md')).toEqual([{ op: 'readFile', dir: '/home/me/wt-api', paths: ['.thread-team/report.md'], ok: true }]);
    expect(run(r, 'sed -n 1,40p report.md', 0, '', '/home/me/wt-ui')).toEqual([
      { op: 'readFile', dir: '/home/me/wt-ui', paths: ['.thread-team/report.md'], ok: true },
    ]);
  });
  it('lines appended to the exclude file, each a pattern', () => {
    expect(run(reader(), `printf '%s\\n' '.thread-team/' >> .git/info/exclude`)).toEqual([{ op: 'addExclude', dir: ROOT, detail: '.thread-team/', ok: true }]);
    expect(run(reader(), `cat >> "$(git rev-parse --git-path info/exclude)" <<'EOF'\n.thread-team/\n.worktrees/\nEOF`).map((a) => a.detail)).toEqual([
      '.thread-team/',
      '.worktrees/',
    ]);
  });
  it('rm removes files inside a checkout, not outside', () => {
    expect(run(reader(), `rm -- ${J} /tmp/x`)).toEqual([{ op: 'removeFile', dir: ROOT, paths: [J], ok: true }]);
  });
  it("apply_patch: each file added, updated or deleted, in the checkout that holds it; an added file's content", () => {
    const patch = `*** Begin Patch\n*** Add File: ${J}\n+# state\n+phase: dispatch\n*** Update File: src/a.ts\n@@\n-a\n+b\n*** Delete File: /tmp/elsewhere\n*** End Patch`;
    expect(reader().patch(patch, ROOT, true)).toEqual([
      { op: 'writeFile', dir: ROOT, paths: [J], ok: true, content: '# state\nphase: dispatch\n' },
      { op: 'writeFile', dir: ROOT, paths: ['src/a.ts'], ok: true },
    ]);
  });
});

describe("a shell workspace's announced act wins over the text", () => {
  it('is read from its records, not its script', () => {
    const act = Buffer.from(JSON.stringify({ op: 'merge', dir: ROOT, ref: 'worker/api' })).toString('base64');
    const said = `\n@@TT@@ act ${act}\n@@TT@@ kind ${Buffer.from('merged').toString('base64')}\n@@TT@@ done\n`;
    expect(run(reader(), 'g -C /x merge --no-edit "$ARG"', 0, said)).toEqual([{ op: 'merge', dir: ROOT, ref: 'worker/api', ok: true, detail: 'merged' }]);
  });
});

describe('what is kept of an output', () => {
  it('the exit line, records and git merge words; nothing else, at most a few hundred lines', () => {
    const kept = commandEvidence(exited(0, `noise\n@@TT@@ done\n@@TT@@ content ${'A'.repeat(5000)}\nCONFLICT (content): x\nmore noise\n`));
    expect(kept).toBe('Process exited with code 0\n@@TT@@ done\nCONFLICT (content): x');
    expect(commandEvidence('Fast-forward\n'.repeat(1000)).split('\n')).toHaveLength(201);
  });
});
