// Phases 1 to 3: the task analysed and split, the team proposed, and on the user's yes the
// workers created, registered and dispatched.

import { journalPathRegex } from '../skill/index.ts';
import { confirmation, finished } from './decisions.ts';
import { removeForeignJournal } from './defective.ts';
import { journalPath, journalStatus } from './journal.ts';
import { viability } from './plan.ts';
import { type RunState, newWorker } from './state.ts';
import { createWorker, dispatchAll } from './team.ts';
import { type ForeignRun, directExecutionText, missingToolsText, proposalText } from './texts.ts';
import type { Turn } from './turn.ts';

/** T1, T2, T3: refuse without the tools, advise against a team not worth making, else propose one and wait for consent. */
export async function analyse(t: Turn): Promise<void> {
  const missing = t.p.requiredTools.value.filter((tool) => !t.ctx.tools.includes(tool));
  if (missing.length > 0 && t.does('check-tools')) {
    t.ctx.say(missingToolsText(missing));
    return;
  }
  const foreign = await foreignRuns(t);
  const verdict = viability(t.env.plan);
  if (!verdict.team && t.does('check-viability')) {
    t.ctx.say(directExecutionText(verdict.reason, foreign));
    return;
  }
  if (t.does('exclude-journal')) await t.ws.addExclude(t.root, '.thread-team/');
  t.st = freshState(t, 'awaiting-confirmation');
  t.st.integration = (await t.ws.currentBranch(t.root)) ?? 'main';
  await t.save(`team viable: ${verdict.reason}`);
  if (!t.does('ask-consent')) {
    await start(t, '');
    return;
  }
  t.ctx.say(proposalText(t.st, t.env.plan, foreign));
}

export function freshState(t: Turn, status: RunState['status']): RunState {
  const plan = t.env.plan;
  return {
    leader: t.ctx.thread,
    status,
    phase: t.p.phases.value[0]!,
    updatedAt: '',
    task: plan.prompt.split('\n')[0]!,
    model: t.p.defaultModel.value,
    thinking: t.p.defaultThinking.value,
    integration: 'main',
    keepWorktrees: plan.keepWorktrees,
    workers: [],
    heartbeat: null,
    merges: [],
    decisions: [],
    next: 'wait for the user to confirm the split and the worker settings',
    reason: '',
  };
}

/** Unfinished runs of other leaders in `.thread-team/`: reported, never touched (J5). */
async function foreignRuns(t: Turn): Promise<ForeignRun[]> {
  const files = await t.ws.listFiles(t.root);
  const own = journalPath(t.p, t.ctx.thread);
  const pattern = journalPathRegex(t.p.journalPath.value);
  const out: ForeignRun[] = [];
  const respect = t.does('respect-foreign-runs');
  for (const f of files) {
    const m = pattern.exec(f);
    if (!m || f === own) continue;
    const text = await t.ws.readFile(t.root, f);
    let status = 'unreadable';
    try {
      status = text === null ? 'unreadable' : journalStatus(t.p, text).status || 'unreadable';
    } catch {
      status = 'unreadable';
    }
    if (!finished(status)) out.push({ leader: m[1]!, status });
    if (!respect) await removeForeignJournal(t, f);
  }
  return respect ? out : [];
}

/** The user said yes (with settings, perhaps): create a worker per area, then register and dispatch them. */
export async function start(t: Turn, answer: string): Promise<void> {
  const st = t.run;
  const said = confirmation(answer);
  if (said.model) st.model = said.model;
  if (said.thinking) st.thinking = said.thinking;
  if (said.keepWorktrees) st.keepWorktrees = true;
  st.status = 'running';
  st.phase = t.p.phases.value[1]!;
  st.next = 'create the workers';
  await t.save(`user confirmed: model ${st.model}, thinking ${st.thinking}`);
  for (const area of t.env.plan.areas) {
    const w = newWorker(area.role, 1);
    st.workers.push(w);
    await createWorker(t, w);
  }
  await dispatchAll(t);
}
