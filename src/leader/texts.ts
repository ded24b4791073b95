// What the leader says in its own words, as pure functions: to the user (the proposal, status,
// refusals) and to workers outside the skill's templates (roster updates, unblocks, status
// requests, stop). Messages the skill has a template for are filled from it (see fill.ts).

import type { TaskPlan } from '../ports/leader-env.ts';
import type { RunState, WorkerRecord } from './state.ts';
import { current } from './state.ts';

export interface ForeignRun {
  leader: string;
  status: string;
}

export function foreignNote(runs: readonly ForeignRun[]): string {
  return `Unfinished runs of other leaders found (left untouched): ${runs.map((r) => `${r.leader} (${r.status})`).join(', ')}.`;
}

export function missingToolsText(missing: readonly string[]): string {
  return (
    `I cannot run a thread team here: the required thread tool${missing.length > 1 ? 's are' : ' is'} missing: ${missing.join(', ')}. ` +
    'I will not stand in with spawn_agent or other sub-agents.'
  );
}

export function directExecutionText(reason: string, foreign: readonly ForeignRun[]): string {
  return (
    `Direct execution recommended: ${reason}. A team would cost more in setup, polling and merging than it saves, so I created nothing and will do this in this thread.` +
    (foreign.length ? `\n${foreignNote(foreign)}` : '')
  );
}

export function proposalText(st: RunState, plan: TaskPlan, foreign: readonly ForeignRun[]): string {
  return [
    `Proposed thread team for: ${st.task}`,
    ...plan.areas.map((a) => `- ${a.role}: ${a.scope} (owns ${a.owns.join(', ')})`),
    `Worker settings: model ${st.model}, thinking ${st.thinking}; one branch and one exclusive git worktree per worker.`,
    ...(foreign.length ? [foreignNote(foreign)] : []),
    'Shall I create these workers with these settings?',
  ].join('\n');
}

export const DECLINED_TEXT = 'Understood: no team was started and nothing was created.';

export function nothingToCancelText(status: string): string {
  return `Nothing to cancel: the run is already ${status}.`;
}

/** The answer to a status question (U1): roster, blockers, merges, the next action. */
export function statusText(st: RunState): string {
  const cur = current(st);
  return [
    `Thread team status (${st.status}, phase: ${st.phase})`,
    'Roster:',
    ...cur.map((w) => `- ${w.role} | ${w.thread || w.pending || '-'} | ${w.state}${w.waitingOn ? ` (waiting on ${w.waitingOn})` : ''}`),
    `Blockers: ${
      cur
        .filter((w) => w.waitingOn || w.asked)
        .map((w) => `${w.role}: ${w.waitingOn ? `waiting on ${w.waitingOn}` : 'silent, status requested'}`)
        .join('; ') || 'none'
    }`,
    `Merges: ${st.merges.length} of ${cur.length} (${st.merges.map((m) => m.role).join(', ') || 'none yet'})`,
    `Next action: ${st.next}`,
  ].join('\n');
}

/** The end of a heartbeat turn: nothing to tell the user. */
export function heartbeatAck(id: string): string {
  return `<heartbeat><automation_id>${id}</automation_id><decision>DONT_NOTIFY</decision><message></message></heartbeat>`;
}

/** A new worker's first prompt: its title is how the leader finds a thread whose worktree was still being made. */
export function workerIntro(header: string, role: string): string {
  return `${header}\n${workerTitlePrefix(role)} wait for your registration and dispatch; do nothing else.`;
}

export function workerTitlePrefix(role: string): string {
  return `Thread-team worker ${role}:`;
}

export function rosterUpdateText(fresh: WorkerRecord, old: WorkerRecord | undefined, roster: string): string {
  return `ROSTER UPDATE: ${fresh.role} is now thread ${fresh.thread}${old ? ` (replacing ${old.thread})` : ''}. Check headers against:\n${roster}`;
}

export function cycleBrokenText(peer: string, cycle: readonly string[]): string {
  return `UNBLOCKED: ${peer} is itself waiting on you (${cycle.join(' -> ')}); do not wait: continue from your dispatch and note the assumption under open issues.`;
}

export function noPeerText(named: string): string {
  return `UNBLOCKED: ${named ? `there is no peer ${named} in the roster` : 'no peer is involved'}; continue with your dispatch as written and report what you could not do under open issues.`;
}

export function peerDoneText(peer: WorkerRecord): string {
  return `UNBLOCKED: peer ${peer.role} is complete at ${peer.sha}; you can continue.`;
}

export function peerGoneText(role: string, why: string): string {
  return `UNBLOCKED: peer ${role} will not deliver (${why}); continue without it and list what is missing under open issues.`;
}

export function statusRequestText(silent: number): string {
  return `STATUS REQUEST: no progress seen for ${silent} heartbeat passes. Reply with one status line.`;
}

export const STOP_TEXT = 'STOP: the run is cancelled. Commit coherent work in progress to your branch now, say so, and stop.';

export const HEARTBEAT_PROMPT = 'Poll the thread team: read the journal, process worker messages first, then the startup gate and stalls; end the turn.';

/** The scope of a rework: the dispatch again, narrowed to the findings (R3). */
export function reworkScope(scope: string, problems: readonly string[]): string {
  return [
    `Rework of: ${scope}`,
    'Fix only this on your branch, verify, update your report and signal completion again:',
    ...problems.map((p) => `- ${p}`),
  ].join('\n');
}
