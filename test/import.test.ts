// Importing a run from Codex's rollout files. The rollouts are made from simulated runs by a test
// helper, in the real line format (test/support/rollouts.ts), so the verdict a rollout allows can
// be held against the run's own: for every deliberately broken leader and a sample of sound
// runs, the rules a rollout can decide give the same violations, found from the rollouts alone.
// Then the edges a real Codex home has: archived workers, compactions, a file still being
// written, a missing worker, other versions, files that are not rollouts.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Flaw } from '../src/core/flaws.ts';
import { checkTrace } from '../src/invariants/index.ts';
import { readTrace, writeTrace } from '../src/trace/jsonl.ts';
import { loadSkill } from '../src/skill/index.ts';
import { LEADER_ID } from '../sim/run.ts';
import { parseRollout } from '../app/import/rollout.ts';
import { intentOf, rolloutsToTrace, UNSEEN_RULES, undecidableOf, unseenNames } from '../app/import/to-trace.ts';
import { main } from '../app/cli/main.ts';
import { capture } from './support/cli.ts';
import { runCli } from './support/run-cli.ts';
import { MUTANTS } from './support/leader-mutants.ts';
import { rolloutsOf, rolloutText } from './support/rollouts.ts';
import { runReference } from './support/run.ts';
import { scratchFolder } from './support/scratch-folder.ts';

const profile = (await loadSkill('skill')).profile!;
const unseen = new Set(UNSEEN_RULES.map((r) => r.rule));
const scratch = scratchFolder('import-');

/** The leader's violations by rule id, of the rules a rollout can decide. */
const decidable = (events: Parameters<typeof checkTrace>[0]) =>
  [
    ...new Set(
      checkTrace(events)
        .violations.filter((v) => v.by === 'leader' && !unseen.has(v.rule))
        .map((v) => v.rule),
    ),
  ].sort();

const SKILL_MD = fileURLToPath(new URL('../skill/SKILL.md', import.meta.url));

async function simulated(scenario: string, flaws: string[] = []) {
  const r = await runReference(scenario, { profile, flaws: flaws as Flaw[] });
  const files = rolloutsOf(r.events, { skill: { name: profile.name.value, path: SKILL_MD } });
  return { run: r, files };
}

function imported(files: Map<string, ReturnType<typeof rolloutsOf> extends Map<string, infer L> ? L : never>) {
  const threads = [...files].map(([id, lines]) => parseRollout(rolloutText(lines), `rollout-2026-01-05T09-00-00-${id}.jsonl`));
  const leader = threads.find((t) => t.id === LEADER_ID)!;
  return rolloutsToTrace({ leader, others: new Map(threads.filter((t) => t !== leader).map((t) => [t.id, t])), profile });
}

/** A Codex home holding `files` (thread id -> lines), the archived ones under archived_sessions/. */
async function codexHome(name: string, files: Map<string, unknown[]>, archived: Set<string> = new Set()): Promise<string> {
  const home = join(scratch(), name);
  for (const [id, lines] of files) {
    const dir = join(home, archived.has(id) ? 'archived_sessions' : 'sessions/2026/01/05');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `rollout-2026-01-05T09-00-00-${id}.jsonl`), rolloutText(lines as never));
  }
  return home;
}

const cli = (args: string[]) => runCli(scratch(), args);

describe("the verdict from rollouts alone equals the run's own, on the rules a rollout decides", () => {
  const sound = [
    'happy-three',
    'stalls-mid-task',
    'cancel-mid-run',
    'status-query',
    'user-declines',
    'silent-drop',
    'conflict-maker',
    'never-starts',
    'slow',
    'message-chaos',
    'paraphrase',
    'steered-messages',
  ];
  it.each(MUTANTS.map((m) => [m.flaw, m.scenario, m.rule] as const))('%s on %s (meant for %s)', { timeout: 30_000 }, async (flaw, scenario, rule) => {
    const { run, files } = await simulated(scenario, [flaw]);
    const own = decidable(run.events);
    const back = imported(files);
    expect(back.missing).toEqual([]);
    expect(decidable(back.events)).toEqual(own);
    // A flaw whose rule a rollout can decide is caught from the rollouts alone.
    if (!unseen.has(rule)) expect(decidable(back.events)).toContain(rule);
  });
  it.each(sound)('sound leader on %s: no violation either way', { timeout: 30_000 }, async (scenario) => {
    const { run, files } = await simulated(scenario);
    expect(decidable(run.events)).toEqual([]);
    const back = imported(files);
    expect(decidable(back.events)).toEqual([]);
    // The outcome is read back from the leader's final report.
    expect(back.events.at(-1)).toMatchObject({ kind: 'run.end', outcome: run.outcome });
  });
  it('every rule a rollout cannot decide says why, and the rest are decided', () => {
    for (const r of UNSEEN_RULES) expect(r.reason.length).toBeGreaterThan(20);
    const caught = new Set(MUTANTS.map((m) => m.rule).filter((r) => !unseen.has(r)));
    // At least the rules of messages, heartbeats, consent, tools, stalls and status come through.
    for (const r of ['T1', 'T3', 'T4', 'W1', 'M1', 'M2', 'M3', 'M4', 'M6', 'H1', 'H2', 'H3', 'S1', 'S3', 'L1', 'U1']) expect(caught).toContain(r);
  });
});

describe('what a real Codex home holds', () => {
  it('imports and checks from a Codex home, following archived workers; --leader by a prefix; check reads the trace back the same', async () => {
    const { files } = await simulated('happy-three', ['leak-heartbeat']);
    const workers = [...files.keys()].filter((id) => id !== LEADER_ID);
    const home = await codexHome('home-archived', files, new Set(workers));
    const out = join(scratch(), 'leak.jsonl');
    const r = await cli(['import', '--codex-home', home, '--leader', LEADER_ID.slice(0, 20), '--check', '--out', out]);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(/^leader 00000000-0000-7000-8000-00000000leed: 3 threads created, 3 rollouts found; \d+ events written to /m);
    expect(r.out).toMatch(/^H1 /m);
    expect(r.out).toMatch(/undecidable from rollouts: T2, W3, J3, J4, J5, S2, R3, A1$/m);
    const again = await cli(['check', out]);
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/^H1 /m);
    expect(again.out).toMatch(/imported from rollouts, undecidable: T2, /);
  });

  it('--latest picks the latest thread that made others; a missing worker is named and the rest still checked', async () => {
    const { files } = await simulated('happy-three');
    const worker = [...files.keys()].find((id) => id !== LEADER_ID)!;
    files.delete(worker);
    const home = await codexHome('home-missing', files);
    const r = await cli(['import', '--codex-home', home, '--check']);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.err).toContain(`import: the rollout of thread ${worker}, which the leader created, was not found: its side of the run is left out`);
    expect(r.out).toMatch(/3 threads created, 2 rollouts found/);
    expect(r.out).toMatch(/^no violation by the leader/m);
  });

  it('a compaction, a last line cut short, unknown line types and another Codex version: read, each said once', async () => {
    const { files } = await simulated('happy-three');
    const leader = files.get(LEADER_ID)!;
    leader.splice(
      5,
      0,
      { timestamp: leader[5]!.timestamp, type: 'compacted', payload: { message: 'summary' } },
      {
        timestamp: leader[5]!.timestamp,
        type: 'some_future_line',
        payload: { anything: 1 },
      },
    );
    for (const lines of files.values()) (lines[0]!.payload as { cli_version: string }).cli_version = '0.170.0';
    const home = await codexHome('home-edges', files);
    const file = join(home, 'sessions/2026/01/05', `rollout-2026-01-05T09-00-00-${LEADER_ID}.jsonl`);
    await writeFile(file, `${await readFile(file, 'utf8')}{"timestamp":"2026-01-05T10:00:00.000Z","type":"event_m`);
    const out = join(scratch(), 'edges.jsonl');
    const r = await cli(['import', '--codex-home', home, '--out', out, '--check']);
    expect(r.code, r.err).toBe(0);
    const said = r.err.split('\n');
    expect(said.filter((l) => /the last line is cut short/.test(l))).toHaveLength(1);
    expect(said.filter((l) => /rollouts of Codex 0\.170\.0: this reader knows 0\.163's format/.test(l))).toHaveLength(1);
    const trace = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(trace.some((e) => e.kind === 'note' && /context compacted/.test(e.text))).toBe(true);
  });

  it('--rules core: a leaked heartbeat still fails, a missing header (a protocol convention) no longer does', async () => {
    const leaky = await codexHome('home-core-h1', (await simulated('happy-three', ['leak-heartbeat'])).files);
    const r1 = await cli(['import', '--codex-home', leaky, '--check', '--rules', 'core']);
    expect(r1.code).toBe(1);
    expect(r1.out).toMatch(/^H1 /m);
    expect(r1.out).toMatch(/by the leader \(rules: core\)/);
    // No trace was written: it says how to see the run.
    expect(r1.out).toMatch(/^show: write the trace with --out FILE, then thread-team-sim show FILE$/m);
    const out = join(scratch(), 'leaky.jsonl');
    const r2 = await cli(['import', '--codex-home', leaky, '--check', '--out', out]);
    expect(r2.out).toContain('show: thread-team-sim show leaky.jsonl');
    const shown = capture(scratch());
    expect(await main(['show', out], shown)).toBe(0);
    expect(shown.outs[2]).toBe('1 violation by the leader:');
    expect(shown.outs).toContain(`imported from rollouts, undecidable: ${unseenNames(undecidableOf(await readTrace(out, 'x')))}`);
    const headless = await codexHome('home-core-m1', (await simulated('stalls-mid-task', ['no-header'])).files);
    expect((await cli(['import', '--codex-home', headless, '--check'])).code).toBe(1);
    expect((await cli(['import', '--codex-home', headless, '--check', '--rules', 'core'])).code).toBe(0);
  });

  it("a skill outside the protocol's family: said so, judged on the core rules; J1 once --journal names its state file", async () => {
    // An orchestrator in its own words: roles, a task queue, no message templates of ours.
    const dir = join(scratch(), 'orchestrator');
    await mkdir(dir, { recursive: true });
    const md = join(dir, 'SKILL.md');
    await writeFile(
      md,
      '---\nname: orchestrator\ndescription: Run an architect, a PM, devs and QA as Codex threads.\n---\n\n# Orchestrator\n\nKeep the task queue in `.orchestrator/queue.json`; scale devs up and down.\n',
    );
    const home = async (name: string, flaws: string[]) => {
      const r = await runReference('happy-three', { profile, flaws: flaws as Flaw[] });
      return codexHome(name, rolloutsOf(r.events, { skill: { name: 'orchestrator', path: md } }));
    };
    const journal = ['--journal', '.thread-team/<leader-thread-id>/state.md'];
    const sound = await home('home-foreign', []);
    const bare = await cli(['import', '--codex-home', sound, '--check']);
    expect(bare.code, bare.out + bare.err).toBe(0);
    expect(bare.err).toMatch(
      /the skill .*orchestrator is not of the protocol's family \(.+\): judged on the core rules \(W1, H1, R1's serial clause, J1\); J1 needs where it keeps its state: give --journal PATTERN/,
    );
    expect(bare.out).toMatch(/by the leader \(rules: core\); undecidable from rollouts: .*, J1$/m);
    const named = await cli(['import', '--codex-home', sound, '--check', ...journal]);
    expect(named.code, named.out).toBe(0);
    expect(named.out).not.toMatch(/undecidable from rollouts: .*J1/);
    // Broken leaders: a leaked heartbeat (H1), and a journal write missed before a dispatch (J1, with --journal).
    const leaky = await cli(['import', '--codex-home', await home('home-foreign-h1', ['leak-heartbeat']), '--check']);
    expect([leaky.code, leaky.out.match(/^[A-Z]\d+/gm)]).toEqual([1, ['H1']]);
    const forgetful = await home('home-foreign-j1', ['skip-journal-before-dispatch']);
    expect((await cli(['import', '--codex-home', forgetful, '--check'])).code).toBe(0);
    const j1 = await cli(['import', '--codex-home', forgetful, '--check', ...journal, '--out', join(scratch(), 'foreign-j1.jsonl')]);
    expect([j1.code, [...new Set(j1.out.match(/^[A-Z]\d+/gm))]]).toEqual([1, ['J1']]);
    // The trace keeps the path it was judged with; check reads it back, or judges another.
    expect((await cli(['check', join(scratch(), 'foreign-j1.jsonl'), '--rules', 'core'])).code).toBe(1);
  });

  it('--journal: a bad pattern is one line naming the flag, and nothing is read', async () => {
    for (const [bad, said] of [
      ['/abs/state.md', 'must be a path inside the repository'],
      ['../up/state.md', 'must be a path inside the repository'],
      ['<a>/<b>.md', 'has more than one <…>'],
      ['  ', 'expected a path relative to the repository'],
    ]) {
      const r = await cli(['import', '--codex-home', join(scratch(), 'nowhere'), '--check', '--journal', bad!]);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(`--journal: `);
      expect(r.err).toContain(said);
    }
  });

  it('check --journal judges a trace against another state file', async () => {
    const { run } = await simulated('happy-three');
    const trace = join(scratch(), 'own.jsonl');
    await writeTrace(trace, run.events);
    expect((await cli(['check', trace])).code).toBe(0);
    const elsewhere = await cli(['check', trace, '--journal', '.state/<leader-thread-id>.json']);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.out).toMatch(/^J1 no journal write after /m);
  });

  it('a worker whose clock is ten minutes behind: its times moved later, said once, the verdict unchanged', async () => {
    const { files } = await simulated('happy-three', ['leak-heartbeat']);
    const worker = [...files.keys()].find((id) => id !== LEADER_ID)!;
    for (const l of files.get(worker)!) l.timestamp = new Date(Date.parse(l.timestamp) - 600_000).toISOString();
    const home = await codexHome('home-skew', files);
    const r = await cli(['import', '--codex-home', home, '--check']);
    expect(r.err.split('\n').filter((l) => l.includes(`thread ${worker}'s clock is behind its senders' by`))).toHaveLength(1);
    expect(r.code).toBe(1);
    expect([...new Set(r.out.split('\n').flatMap((l) => (/^[A-Z]\d /.test(l) ? [l.slice(0, 2)] : [])))]).toEqual(['H1']);
  });

  it('a leader that led two team runs: the last by default, --run 1 the first, each with its own workers', async () => {
    const first = await runReference('happy-three', { profile, seed: 1 });
    const second = await runReference('happy-three', { profile, flaws: ['leak-heartbeat'], seed: 2 });
    const skill = { name: profile.name.value, path: SKILL_MD };
    const a = rolloutsOf(first.events, { skill });
    // The second run an hour later, in the same leader thread (one file), its workers new.
    const later = second.events.map((e) => ({ ...e, t: e.t + 3_600_000 + first.simMs }));
    const b = rolloutsOf(later, { skill });
    // Two runs' workers are different threads (their ids come from each run's seed).
    expect([...b.keys()].filter((id) => id !== LEADER_ID && a.has(id))).toEqual([]);
    const files = new Map([...a, ...[...b].filter(([id]) => id !== LEADER_ID)]);
    files.set(LEADER_ID, [...a.get(LEADER_ID)!, ...b.get(LEADER_ID)!.slice(1)]);
    const home = await codexHome('home-two-runs', files);
    const last = await cli(['import', '--codex-home', home, '--check']);
    expect(last.err).toContain('import: the leader led 2 team runs; this is run 2 (--run picks another)');
    expect(last.code).toBe(1);
    expect(last.out).toMatch(/^H1 /m);
    expect(last.out).toMatch(/3 threads created, 3 rollouts found/);
    const one = await cli(['import', '--codex-home', home, '--check', '--run', '1']);
    expect(one.code, one.out).toBe(0);
    expect(one.out).toMatch(/3 threads created, 3 rollouts found/);
    const none = await cli(['import', '--codex-home', home, '--check', '--run', '3']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/--run: "3" is not one of the leader's runs \(it led 2: give 1 to 2\)/);
  });

  it.each([
    [['import', '--check', 'nowhere.jsonl'], /^thread-team-sim: .*nowhere\.jsonl: cannot read it \(ENOENT\)$/],
    [['import', '--codex-home', 'no-such-home', '--check'], /^thread-team-sim: --codex-home .*no-such-home: no such directory$/],
    [['import', '--codex-home', '.'], /^thread-team-sim: import: nothing to do: give --out TRACE\.jsonl, --check, or both$/],
    [['import', '--leader', 'x', '--latest', '--check'], /--leader and --latest choose the leader two ways/],
    [['import', '--since', 'yesterdayish', '--check'], /^thread-team-sim: --since: "yesterdayish" is not a date/],
  ])('bad input %j: one line, exit 2', async (args, said) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err.trim()).toMatch(said);
  });

  it('a file that is not a rollout, and a Codex home with no team run: one line, exit 2', async () => {
    await writeFile(join(scratch(), 'notes.jsonl'), 'hello\n');
    const r = await cli(['import', '--check', 'notes.jsonl']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/notes\.jsonl: no session_meta line and no thread id in the file name: not a Codex rollout/);
    const { files } = await simulated('user-declines');
    const home = await codexHome('home-no-team', files);
    const none = await cli(['import', '--codex-home', home, '--check']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no thread called create_thread: no team run to import/);
  });
});

describe("the person's words", () => {
  it.each([
    ['Yes, go ahead with those settings.', 'confirm'],
    ['No, do not start a team.', 'decline'],
    ['What is the status?', 'status'],
    ['Cancel the run: stop the team now.', 'cancel'],
    ['Also add a footer.', 'other'],
  ] as const)('%s -> %s', (text, intent) => {
    expect(intentOf(text, false)).toBe(intent);
    expect(intentOf(text, true)).toBe('task');
  });
});
