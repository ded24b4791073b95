// What the tests of a whole team run through the real Codex share: the happy path they run, the
// text of a model request's input item, and the verdict from the rollouts the run left
// (import --check).

import { main } from '../../app/cli/main.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import type { Scenario } from '../../sim/scenario/schema.ts';
import type { BehaviourSpec } from '../../sim/workers/behaviours.ts';
import { capture } from './cli.ts';

/**
 * A scenario whose diligent workers finish in 4 minutes instead of 12. The leader still goes
 * through a heartbeat that finds them started and one that finds them at work; it is spared
 * the ones after that find the same again. Each of those is a dozen Codex requests that check
 * nothing new: on the happy path, a third of the run's processor time.
 */
export function quickWorkers(s: Scenario): Scenario {
  const quick = (b: BehaviourSpec): BehaviourSpec => (b.kind === 'diligent' && b.workMinutes === undefined ? { ...b, workMinutes: QUICK_MINUTES } : b);
  const workers = s.task.areas.map((a) => {
    const w = s.workers[a.role] ?? { kind: 'diligent' };
    return [a.role, Array.isArray(w) ? w.map(quick) : quick(w as BehaviourSpec)] as const;
  });
  return { ...s, workers: Object.fromEntries(workers) };
}
const QUICK_MINUTES = 4;

/** The catalogue's happy-three, its workers quick. */
export async function quickHappyThree(): Promise<Scenario> {
  return quickWorkers(await loadScenario('scenarios/happy-three.yaml'));
}

/** The text of a request's input item (a message's parts joined), or ''. */
export const text = (item: unknown): string => {
  const c = (item as { content?: unknown }).content;
  return Array.isArray(c) ? c.map((x: { text?: string }) => x.text ?? '').join('') : typeof c === 'string' ? c : '';
};

/** The verdict from the rollouts a run left alone (import --check), its workers the simulator's (no rollout). */
export async function imported(sessions: string): Promise<{ code: number; violations: unknown[]; missing: unknown[] }> {
  const io = capture(process.cwd());
  const code = await main(['import', '--codex-home', sessions, '--check', '--json'], io);
  const report = JSON.parse(io.outs.join('') || '{}');
  return { code, violations: report.verdict?.violations ?? io.errs, missing: report.missing ?? [] };
}
