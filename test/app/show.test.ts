// `thread-team-sim show`: a run as a timeline. The terminal view puts a failure's evidence on
// the first screen, names lanes by role, folds the workspace's plumbing but never an event a
// violation names; the HTML view is one self-contained file. The failing commands print the
// `show` line that displays their failure, and `run --report` writes the page.

import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../app/cli/main.ts';
import { timelineOf } from '../../app/show/timeline.ts';
import { terminalLines } from '../../app/show/terminal.ts';
import { readTrace } from '../../src/trace/jsonl.ts';
import { capture } from '../support/cli.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCREEN = 24;
let tmp: string;
let mutantYaml: string;
let mutantTrace: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'show-'));
  // The reference leader with one flaw: it merges the next branch before verifying the last.
  mutantYaml = join(tmp, 'two-at-once.yaml');
  const text = await readFile(join(ROOT, 'scenarios/happy-three.yaml'), 'utf8');
  await writeFile(mutantYaml, text.replace('name: happy-three', 'name: two-at-once').replace('expect:', 'leader:\n  flaws: [merge-two-at-once]\nexpect:'));
  mutantTrace = join(tmp, 'two-at-once.jsonl');
  expect(await main(['run', mutantYaml, '--trace', mutantTrace], capture(tmp))).toBe(1);
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const show = async (argv: string[], cwd = tmp) => {
  const io = capture(cwd);
  const code = await main(['show', ...argv], io);
  return { code, io, out: io.outs, err: io.errs.join('\n') };
};

describe('thread-team-sim show, in the terminal', () => {
  it('the trace of a merge-two-at-once run: the overlapping merges, marked R1, are on the first screen', async () => {
    const r = await show([mutantTrace]);
    expect(r.code, r.err).toBe(0);
    const screen = r.out.slice(0, SCREEN);
    const merges = screen.filter((l) => /#\d+ +leader +merge codex\/\S+ \((api|ui|db)\): .*◀ R1$/.test(l));
    const indices = new Set(merges.map((l) => /#(\d+)/.exec(l)![1]));
    expect(indices.size, screen.join('\n')).toBeGreaterThanOrEqual(2);
    expect(screen.join('\n')).toMatch(/^ {2}R1 branch codex\/\S+ was merged and codex\/\S+ merged next without a build\/test run in between$/m);
    // And the timeline below has them again, in their place, with their time.
    const timeline = r.out.slice(r.out.indexOf('timeline:') + 1);
    for (const i of indices) expect(timeline.some((l) => new RegExp(`^ +\\d\\d:\\d\\d #${i} +leader +merge .*◀ R1$`).test(l))).toBe(true);
  });

  it('the scenario file itself is run first, as run runs it: the same events, the same violations', async () => {
    const fromTrace = await show([mutantTrace]);
    const fromScenario = await show([mutantYaml]);
    expect(fromScenario.code).toBe(0);
    expect(fromScenario.out).toEqual(fromTrace.out);
  });

  it('lanes are named by role, a replacement as role#2 that replaces its role; messages are arrows with their template', async () => {
    const r = await show([join(ROOT, 'scenarios/stalls-mid-task.yaml')]);
    expect(r.code).toBe(0);
    expect(r.out[1]).toMatch(/^lanes: user · leader \S+ · api \S+ · ui \S+ · db \S+ · ui#2 \S+ \(replaces ui\)$/);
    const text = r.out.join('\n');
    expect(text).toMatch(/ leader +→ ui#2 +registration: "/);
    expect(text).toMatch(/ leader +→ ui#2 +dispatch: "/);
    expect(text).toMatch(/ leader +→ ui#2 +creates ui#2 \(replaces ui\) on codex\//);
    expect(text).toMatch(/ ui#2 +→ leader +done: "/);
    expect(text).toMatch(/ leader +heartbeat auto-\d+ fires$/m);
    expect(text).toMatch(/ leader +turn \S+ starts \(heartbeat\)$/m);
    expect(text).toMatch(/ leader +verification: npm test -> exit 0$/m);
    expect(text).toMatch(/ leader +journal: running, phase [^;]+; changed /m);
    // Thread UUIDs appear only abbreviated, in the lanes line.
    expect(r.out.slice(2).join('\n')).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('folds the plumbing unless --all, and never folds an event a violation names', async () => {
    const events = await readTrace(mutantTrace, 'two-at-once.jsonl');
    const tl = timelineOf(events);
    const folded = tl.rows.filter((r) => r.folded);
    expect(folded.length).toBeGreaterThan(100);
    expect(folded.every((r) => r.kind === 'ws' || r.kind === 'delivery' || r.kind === 'status' || r.kind === 'tool')).toBe(true);
    for (const v of tl.violations) for (const i of v.events) expect(tl.rows[i]!.folded).toBe(false);
    const some = await show([mutantTrace]);
    const all = await show([mutantTrace, '--all']);
    const rows = (out: string[]) => out.slice(out.indexOf('timeline:') + 1);
    expect(rows(all.out)).toHaveLength(events.length);
    expect(rows(some.out)).toHaveLength(events.length - folded.length);
    expect(some.out[0]).toContain(`--all adds ${folded.length} workspace operations and deliveries`);
  });

  it('an event of a folded kind that a violation names is shown, with where it happened', async () => {
    // A worker writes in the main checkout: plain file writes are folded, these two are not.
    const r = await show([join(ROOT, 'scenarios/wrong-directory.yaml')]);
    const marked = r.out.filter((l) => / db +writeFile db\/\S+ in \/repo +◀ W1$/.test(l));
    expect(marked.length, r.out.slice(0, 12).join('\n')).toBe(4);
    expect(r.out[2]).toBe('0 violations by the leader, 2 by workers (not judged):');
    expect(r.out[3]).toMatch(/^ {2}W1 \(worker\) worker db ran writeFile in \/repo, outside its worktree /);
  });

  it('--around N shows N (marked, even when folded) and its neighbourhood only', async () => {
    const events = await readTrace(mutantTrace, 'two-at-once.jsonl');
    const tl = timelineOf(events);
    const target = tl.violations[0]!.events[0]!;
    const r = await show([mutantTrace, '--around', String(target)]);
    expect(r.code).toBe(0);
    const body = r.out.slice(r.out.findIndex((l) => l.startsWith('around #')) + 1);
    const marked = body.filter((l) => l.startsWith('>'));
    expect(marked).toHaveLength(1);
    expect(marked[0]).toMatch(new RegExp(`#${target} +leader +merge `));
    expect(body.filter((l) => /#\d+/.test(l)).length).toBe(25);
    const folded = tl.rows.find((r) => r.folded)!;
    const lines = terminalLines(tl, { around: folded.i, span: 2 });
    const near = lines.slice(lines.findIndex((l) => l.startsWith('around #')) + 1).filter((l) => /#\d+/.test(l));
    expect(near).toHaveLength(5);
    expect(near[2]).toMatch(new RegExp(`^> +\\d\\d:\\d\\d #${folded.i} `));
  });

  it('a run without violations says so; faults are listed with the events where they struck', async () => {
    const r = await show([join(ROOT, 'scenarios/message-chaos.yaml')]);
    expect(r.out[2]).toBe('no violation');
    expect(r.out[3]).toMatch(/^faults: delay-message struck at #\d+; duplicate-message struck at #\d+; reorder-messages struck at #\d+$/);
    const struck = Number(/delay-message struck at #(\d+)/.exec(r.out[3]!)![1]);
    expect(r.out.some((l) => new RegExp(`#${struck} +\\S+ +fault delay-message: `).test(l))).toBe(true);
  });
});

describe('thread-team-sim show --html', () => {
  it('writes one self-contained page: its data inline, no network, a column per thread in the data', async () => {
    const page = join(tmp, 'two.html');
    const r = await show([mutantTrace, '--html', page]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toEqual([`wrote two.html: ${(await readTrace(mutantTrace, 'x')).length} events on 5 lanes, 2 violations`]);
    const html = await readFile(page, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('Content-Security-Policy" content="default-src \'none\'');
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/);
    const data = JSON.parse(/<script type="application\/json" id="run-data">(.*?)<\/script>/s.exec(html)![1]!);
    expect(data.timeline.lanes.map((l: { name: string }) => l.name)).toEqual(['user', 'leader', 'api', 'ui', 'db']);
    expect(data.events).toHaveLength(data.timeline.rows.length);
  });

  it('text from the run cannot close the script that holds it', async () => {
    const events = await readTrace(mutantTrace, 'x');
    const said = events.findIndex((e) => e.kind === 'assistant.message');
    const evil = join(tmp, 'evil.jsonl');
    const lines = events.map((e, i) => JSON.stringify(i === said ? { ...e, text: '</script><script>document.title="PWNED"</script><!--' } : e));
    await writeFile(evil, `${lines.join('\n')}\n`);
    const page = join(tmp, 'evil.html');
    expect((await show([evil, '--html', page])).code).toBe(0);
    const html = await readFile(page, 'utf8');
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).not.toContain('<!--');
    const data = JSON.parse(/<script type="application\/json" id="run-data">(.*?)<\/script>/s.exec(html)![1]!);
    expect(data.events[said].text).toBe('</script><script>document.title="PWNED"</script><!--');
  });

  it('the same run writes the same page', async () => {
    const a = join(tmp, 'same-a.html');
    const b = join(tmp, 'same-b.html');
    await show([mutantYaml, '--html', a]);
    await show([mutantTrace, '--html', b]);
    expect(await readFile(a, 'utf8')).toBe(await readFile(b, 'utf8'));
  });
});

describe('thread-team-sim show refuses bad input in one line, exit 2, writing nothing', () => {
  const refused = async (argv: string[], message: RegExp) => {
    const before = await readdir(tmp);
    const r = await show(argv);
    expect(r.code, r.out.join('\n')).toBe(2);
    expect(r.io.errs).toHaveLength(1);
    expect(r.io.errs[0]).toMatch(message);
    expect(r.out).toEqual([]);
    expect(await readdir(tmp)).toEqual(before);
  };

  it('flags that do not fit the input, or values out of range', async () => {
    await refused([mutantTrace, '--seed', '3'], /^thread-team-sim: --seed, --host and --skill run a scenario: they do not apply to a trace$/);
    await refused([mutantYaml, '--journal', 'state.md'], /^thread-team-sim: --journal applies to a trace/);
    await refused([mutantTrace, '--around', 'x'], /^thread-team-sim: --around: expected an event index \(a whole number\), got "x"$/);
    await refused([mutantTrace, '--around', '99999'], /^thread-team-sim: --around: the run has events 0 to \d+, not 99999$/);
    await refused([mutantYaml, '--host', 'moon'], /^thread-team-sim: --host: unknown host "moon"/);
    await refused([mutantTrace, '--journal', '/etc/passwd'], /^thread-team-sim: --journal: "\/etc\/passwd" must be a path inside the repository/);
  });

  it('an --html that exists, is the input, or sits in a missing folder', async () => {
    const existing = join(tmp, 'exists.html');
    await writeFile(existing, 'keep me');
    await refused([mutantTrace, '--html', existing], /^thread-team-sim: --html: \S+ exists; pass --force to replace it$/);
    expect(await readFile(existing, 'utf8')).toBe('keep me');
    await refused([mutantTrace, '--html', mutantTrace], /is also an input of this command/);
    await refused([mutantTrace, '--html', join(tmp, 'no/such/dir/x.html')], /^thread-team-sim: --html: the folder \S+ does not exist$/);
    await rm(existing);
  });

  it('a missing or malformed trace, a bad scenario', async () => {
    await refused([join(tmp, 'none.jsonl')], /^thread-team-sim: \S*none\.jsonl: cannot read it: /);
    const bad = join(tmp, 'bad.jsonl');
    await writeFile(bad, '{"i":0,"t":0,"kind":"run.start"}\nnot json\n');
    await refused([bad], /^thread-team-sim: bad\.jsonl:1: /);
    await rm(bad);
    const badYaml = join(tmp, 'bad.yaml');
    await writeFile(badYaml, 'name: x\nworkers: 3\n');
    await refused([badYaml], /^thread-team-sim: bad\.yaml/);
    await rm(badYaml);
  });
});

describe('the failing commands print how to show the failure', () => {
  it('run prints show: for a failing scenario (its trace when written), and --report writes its page, only for failures', async () => {
    const dir = join(tmp, 'pages');
    const io = capture(tmp);
    expect(await main(['run', mutantYaml, join(ROOT, 'scenarios/happy-three.yaml'), '--report', dir], io)).toBe(1);
    expect(io.outs).toContain('     show: thread-team-sim show two-at-once.yaml --seed 1');
    expect(io.outs).toContain('     report: pages/two-at-once.html');
    expect(await readdir(dir)).toEqual(['two-at-once.html']);
    expect(await readFile(join(dir, 'two-at-once.html'), 'utf8')).toMatch(/<title>two-at-once \(seed 1\): 2 violations<\/title>/);
    const withTrace = capture(tmp);
    const trace = join(tmp, 'run-show.jsonl');
    expect(await main(['run', mutantYaml, '--trace', trace], withTrace)).toBe(1);
    expect(withTrace.outs).toContain('     show: thread-team-sim show run-show.jsonl');
    // A run that holds writes no page and makes no folder.
    const none = join(tmp, 'no-pages');
    expect(await main(['run', join(ROOT, 'scenarios/happy-three.yaml'), '--report', none], capture(tmp))).toBe(0);
    expect(existsSync(none)).toBe(false);
    // The page of a failure is refused when it would replace a file, before anything runs.
    const again = capture(tmp);
    expect(await main(['run', mutantYaml, '--report', dir], again)).toBe(2);
    expect(again.errs).toEqual([`thread-team-sim: --report: ${join(dir, 'two-at-once.html')} exists; pass --force to replace it`]);
    await rm(dir, { recursive: true });
    await rm(trace);
  });

  it('check prints show: when the leader broke a rule, and the command it prints works', async () => {
    const io = capture(tmp);
    expect(await main(['check', 'two-at-once.jsonl'], io)).toBe(1);
    const line = io.outs.find((l) => l.startsWith('show: '));
    expect(line).toBe('show: thread-team-sim show two-at-once.jsonl');
    const argv = line!.replace('show: thread-team-sim ', '').split(' ');
    const r = capture(tmp);
    expect(await main(argv, r)).toBe(0);
    expect(r.outs[2]).toBe('2 violations by the leader:');
    const clean = capture(ROOT);
    const happy = join(tmp, 'happy.jsonl');
    await main(['run', 'scenarios/happy-three.yaml', '--trace', happy], clean);
    const ok = capture(tmp);
    expect(await main(['check', happy], ok)).toBe(0);
    expect(ok.outs.some((l) => l.startsWith('show: '))).toBe(false);
    await rm(happy);
  });

  it('explore prints show: for the case it wrote', async () => {
    const out = join(tmp, 'found');
    const io = capture(tmp);
    expect(await main(['explore', '--runs', '20', '--seed', '1', '--jobs', '1', '--mutant', 'merge-two-at-once', '--out', out], io)).toBe(1);
    const written = io.outs.find((l) => l.startsWith('  written to '))!.replace('  written to ', '');
    expect(io.outs).toContain(`  show: thread-team-sim show ${written}`);
    expect((await stat(join(tmp, written))).isFile()).toBe(true);
    const r = capture(tmp);
    expect(await main(['show', written], r)).toBe(0);
    expect(r.outs.slice(0, SCREEN).filter((l) => /merge codex\/.*◀ R1$/.test(l)).length).toBeGreaterThanOrEqual(2);
    await rm(out, { recursive: true });
  });
});
