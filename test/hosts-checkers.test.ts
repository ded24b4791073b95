// A run on the terminal UI's thread tools, held to what that host allows: the leader makes the
// worktrees (create_thread has no target) and cannot set a thinking level; the checkers still
// catch two workers told the same folder, and a model other than the confirmed one.

import { describe, expect, it } from 'vitest';
import { checkTrace } from '../src/invariants/index.ts';
import { ownWorktreeDir } from '../src/leader/own-worktree.ts';
import { ReferenceLeader } from '../src/leader/index.ts';
import { loadSkill } from '../src/skill/index.ts';
import type { TraceEvent } from '../src/trace/events.ts';
import { runScenario } from '../sim/run.ts';
import { lazy } from './support/lazy.ts';
import { scenarioOf } from './support/run.ts';
import { reindex } from './support/trace-edit.ts';

const run = lazy(async () => {
  const profile = (await loadSkill('fixtures/skills/terse-team')).profile!;
  return runScenario({ scenario: await scenarioOf('happy-three'), profile, leader: (env) => new ReferenceLeader(env, new Set()), host: 'tui' });
});
const sentences = (ev: readonly TraceEvent[]) => checkTrace(ev).violations.map((v) => `${v.rule}: ${v.message}`);

describe('a terminal-UI run', () => {
  it('completes with leader-made worktrees, no thinking level, and no violation', async () => {
    const r = await run();
    expect(r.outcome).toBe('complete');
    expect(r.counts.merges).toBe(3);
    expect(r.events[0]).toMatchObject({ kind: 'run.start', host: 'tui' });
    expect(sentences(r.events)).toEqual([]);
    const created = r.events.filter((e) => e.kind === 'thread.created');
    expect(created.map((e) => [e.cwd, e.worktree, e.thinking])).toEqual([
      ['/repo', null, null],
      ['/repo', null, null],
      ['/repo', null, null],
    ]);
    const adds = r.events.filter((e) => e.kind === 'ws' && e.op === 'worktreeAdd');
    expect(adds.map((e) => [e.kind === 'ws' && e.actor === r.leader, e.kind === 'ws' && e.dir])).toEqual(
      ['api', 'ui', 'db'].map((role) => [true, ownWorktreeDir('/repo', role, 1)]),
    );
    for (const e of r.events)
      if (e.kind === 'tool.call' && e.tool === 'create_thread') expect(Object.keys(e.args as object).sort()).toEqual(['model', 'prompt']);
  });

  it('blames no one for where the host put workers that were never told a folder of their own', async () => {
    // Our skill's registrations are too long for this host: no worker ever hears where to work.
    const r = await runScenario({
      scenario: await scenarioOf('happy-three'),
      profile: (await loadSkill('skill')).profile!,
      leader: (env) => new ReferenceLeader(env, new Set()),
      host: 'tui',
    });
    expect(r.counts).toMatchObject({ workers: 3, merges: 0 });
    expect(r.events.filter((e) => e.kind === 'thread.created').every((e) => e.kind === 'thread.created' && e.cwd === '/repo')).toBe(true);
    expect(sentences(r.events)).toEqual([]);
  });

  it('W1 still catches two workers told the same folder', async () => {
    const r = await run();
    const api = ownWorktreeDir('/repo', 'api', 1);
    const ui = ownWorktreeDir('/repo', 'ui', 1);
    const edited = reindex(r.events.map((e) => (e.kind === 'message.sent' && e.from === r.leader ? { ...e, text: e.text.replaceAll(ui, api) } : e)));
    expect(sentences(edited).filter((s) => s.startsWith('W1: workers'))).toEqual([
      expect.stringMatching(/^W1: workers \S+ and \S+ share the directory \/repo\.worktrees\/api-1$/),
    ]);
  });

  it('T4 still holds the model to the confirmed one, though not the thinking level', async () => {
    const r = await run();
    const edited = reindex(
      r.events.map((e) => (e.kind === 'tool.call' && e.tool === 'create_thread' ? { ...e, args: { ...(e.args as object), model: 'gpt-4' } } : e)),
    );
    expect(sentences(edited).filter((s) => s.startsWith('T4'))).toEqual(
      Array(3).fill('T4: create_thread with model gpt-4 and thinking (none); confirmed were gpt-5.4/high'),
    );
    // On the desktop the same trace also breaks the thinking level.
    const desktop = reindex(edited.map((e) => (e.kind === 'run.start' ? (({ host: _h, ...rest }) => rest)(e) : e)) as TraceEvent[]);
    expect(sentences(desktop).filter((s) => s.startsWith('T4'))).toHaveLength(3);
    expect(
      sentences(reindex(r.events.map((e) => (e.kind === 'run.start' ? (({ host: _h, ...rest }) => rest)(e) : e)) as TraceEvent[])).filter((s) =>
        s.startsWith('T4'),
      ),
    ).toHaveLength(3);
  });
});
