import { TEAM_TOOLS } from '../contract/index.ts';
import { after, before, type Checker, leaderBroke, type Violation } from './types.ts';
import type { TraceModel } from './model.ts';

// T1–T4: tools, viability, consent, settings.

export const T1: Checker = {
  rule: 'T1',
  name: 'tools-present',
  kind: 'safety',
  check(m) {
    const missing = TEAM_TOOLS.filter((t) => !m.start.tools.includes(t));
    const out: Violation[] = [];
    for (const e of m.leaderTools()) {
      if (/spawn_agent|sub-?agent/i.test(e.tool)) out.push(leaderBroke('T1', `the leader called ${e.tool}, standing in for real threads`, [e.i]));
    }
    if (missing.length === 0) return out;
    const created = m.ofKind('thread.created').filter((e) => e.by === m.leader);
    if (created.length)
      out.push(
        leaderBroke(
          'T1',
          `${missing.join(', ')} missing, yet the leader created ${created.length} thread(s)`,
          created.map((e) => e.i),
        ),
      );
    const said = m.ofKind('assistant.message').filter((e) => e.thread === m.leader);
    if (!said.some((e) => missing.every((t) => e.text.includes(t)))) {
      out.push(leaderBroke('T1', `${missing.join(', ')} missing and the leader never said which`, said.map((e) => e.i).slice(0, 3)));
    }
    return out;
  },
};

/** T2's judgement needs the task split: a simulated run records it; a live trace may not. */
export function teamViable(task: NonNullable<TraceModel['start']['task']>): boolean {
  if (task.shape === 'core-refactor' || task.areas.length <= 2) return false;
  const seen = new Set<string>();
  for (const a of task.areas)
    for (const f of a.owns) {
      if (seen.has(f)) return false;
      seen.add(f);
    }
  return true;
}

export const T2: Checker = {
  rule: 'T2',
  name: 'viability',
  kind: 'safety',
  check(m) {
    const created = m.ofKind('thread.created').filter((e) => e.by === m.leader);
    const out: Violation[] = [];
    if (m.start.task && !teamViable(m.start.task) && created.length) {
      out.push(
        leaderBroke(
          'T2',
          `the split does not favour a team (${m.start.task.areas.length} areas, ${m.start.task.shape}) yet the leader created workers`,
          created.map((e) => e.i),
        ),
      );
    }
    // Triggering the skill creates nothing: the first turn (the task) makes no thread.
    const firstTurn = m.ofKind('turn.start').find((e) => e.thread === m.leader);
    const firstEnd = firstTurn && m.ofKind('turn.end').find((e) => e.turn === firstTurn.turn);
    const early = created.filter((e) => firstEnd && before(e, firstEnd));
    if (early.length)
      out.push(
        leaderBroke(
          'T2',
          'the leader created workers in the very turn that triggered the skill',
          early.map((e) => e.i),
        ),
      );
    return out;
  },
};

export const T3: Checker = {
  rule: 'T3',
  name: 'consent',
  kind: 'safety',
  check(m) {
    const created = m.ofKind('thread.created').filter((e) => e.by === m.leader);
    if (!created.length) return [];
    const confirm = m.ofKind('user.input').find((e) => e.thread === m.leader && e.intent === 'confirm');
    if (!confirm || after(confirm, created[0]!)) {
      return [leaderBroke('T3', 'a worker was created before the user confirmed', [created[0]!.i, ...(confirm ? [confirm.i] : [])])];
    }
    const p = m.start.profile;
    const stated = m
      .ofKind('assistant.message')
      .filter((e) => e.thread === m.leader && before(e, confirm))
      .some((e) => e.text.includes(p.defaultModel) && e.text.includes(p.defaultThinking));
    return stated
      ? []
      : [
          leaderBroke('T3', `the user confirmed without the leader having stated the worker model ${p.defaultModel} and thinking ${p.defaultThinking}`, [
            confirm.i,
          ]),
        ];
  },
};

/** The settings the user confirmed: the skill's defaults unless the confirmation names others. */
export function confirmedSettings(m: TraceModel): { model: string; thinking: string } {
  const confirm = m.ofKind('user.input').find((e) => e.thread === m.leader && e.intent === 'confirm');
  // Stryker disable next-line StringLiteral: the default stands for no confirmation, and it names no model or thinking level either way
  const text = confirm?.text ?? '';
  return {
    model: /\bmodel\s+([\w.:-]+)/i.exec(text)?.[1] ?? m.start.profile.defaultModel,
    thinking: /\bthinking\s+(low|medium|high|xhigh|max|ultra)\b/i.exec(text)?.[1] ?? m.start.profile.defaultThinking,
  };
}

export const T4: Checker = {
  rule: 'T4',
  name: 'settings',
  kind: 'safety',
  check(m) {
    const want = confirmedSettings(m);
    const out: Violation[] = [];
    for (const e of m.leaderTools('create_thread')) {
      const a = (e.args ?? {}) as { model?: string; thinking?: string };
      // The terminal UI's create_thread takes no thinking level: only the model can be held to.
      const thinking = m.start.host === 'tui' ? want.thinking : a.thinking;
      if (a.model !== want.model || thinking !== want.thinking) {
        out.push(
          leaderBroke(
            'T4',
            `create_thread with model ${a.model ?? '(none)'} and thinking ${a.thinking ?? '(none)'}; confirmed were ${want.model}/${want.thinking}`,
            [e.i],
          ),
        );
      }
    }
    return out;
  },
};
