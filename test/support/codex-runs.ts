// What the tests of a whole team run through the real Codex read back from it: the text of a
// model request's input item, and the verdict from the rollouts the run left (import --check).

import { main } from '../../app/cli/main.ts';
import { capture } from './cli.ts';

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
