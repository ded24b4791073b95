import type { SkillProfile } from '../skill/types.ts';
import type { TaskPlan } from '../ports/leader-env.ts';

type Area = TaskPlan['areas'][number];

/**
 * T2: a team only when it beats one thread. Not for one or two subtasks, a tight core
 * refactor, or subtasks that share files.
 */
export function viability(plan: TaskPlan): { team: boolean; reason: string } {
  if (plan.shape === 'core-refactor') return { team: false, reason: 'this is a tight core refactor, where one continuous context beats parallel throughput' };
  if (plan.areas.length <= 2) return { team: false, reason: `the split gives only ${plan.areas.length} subtask${plan.areas.length === 1 ? '' : 's'}` };
  const owner = new Map<string, string>();
  for (const a of plan.areas) {
    for (const f of a.owns) {
      const o = owner.get(f);
      if (o) return { team: false, reason: `${o} and ${a.role} would both edit ${f}` };
      owner.set(f, a.role);
    }
  }
  return { team: true, reason: `${plan.areas.length} independent areas with disjoint files` };
}

/** The leader's execution plan for one worker: the skill's worker steps, made concrete. */
export function planFor(area: Area, profile: SkillProfile): string[] {
  const steps = profile.workerSteps.value;
  const detail = [
    `edit ${area.owns.join(', ')} to ${area.scope.toLowerCase().replace(/\.$/, '')}`,
    'review the whole diff against this dispatch and run every verification command',
    'commit on your branch, write the report file, signal the leader',
  ];
  return steps.map((s, i) => `${s}: ${detail[i] ?? 'as the skill says'}`);
}
