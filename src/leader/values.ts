// The skill's templates filled from the run state: who a message is about, the roster, the
// dispatch, the final report. Reads the turn's state; calls nothing.

import type { FillValues } from '../skill/form-fill.ts';
import { formSlots } from '../skill/form.ts';
import { planFor } from './plan.ts';
import { current, type WorkerRecord } from './state.ts';
import type { Turn } from './turn.ts';

/** Who a message to worker `w` is about: the worker, its branch and directory, and the leader. */
export function identity(t: Turn, w: WorkerRecord): FillValues {
  return {
    'leader-thread-id': t.ctx.thread,
    // A header-shaped line in a message to a worker shows the worker how to sign: its own role and id.
    'thread-id': w.thread,
    role: w.role,
    'worker-thread-id': w.thread,
    branch: w.branch,
    'working-directory': w.dir,
    'base-commit': w.base,
    'integration-branch': t.run.integration,
    'repo-path': t.root,
    'notes-path': t.p.workerNotesPath.value,
    'report-path': t.p.workerReportPath.value,
  };
}

/** The roster: the leader, then each current worker with a thread. */
export function roster(t: Turn): FillValues[string] {
  const st = t.run;
  const leader = {
    text: `leader | ${t.ctx.thread}`,
    role: 'leader',
    'thread-id': t.ctx.thread,
    'worker-thread-id': t.ctx.thread,
    branch: st.integration,
    scope: 'planning, decisions, polling, serial integration, final review',
  };
  const scope = (role: string) => t.env.plan.areas.find((a) => a.role === role)?.scope ?? role;
  return [
    leader,
    ...current(st)
      .filter((w) => w.thread)
      .map((w) => ({
        text: `${w.role} | ${w.thread}`,
        role: w.role,
        'thread-id': w.thread,
        'worker-thread-id': w.thread,
        branch: w.branch,
        scope: scope(w.role),
      })),
  ];
}

export function rosterText(t: Turn): string {
  return (roster(t) as { text: string }[]).map((r) => `- ${r.text}`).join('\n');
}

const list = (xs: readonly string[]) => xs.map((x) => `- ${x}`).join('\n');

/** The dispatch of `w`'s task (a rework narrows its scope). */
export function dispatchText(t: Turn, w: WorkerRecord, scopeOverride?: string): string {
  const plan = t.env.plan;
  const area = t.area(w.role);
  const others = plan.areas.filter((a) => a.role !== w.role);
  const shared = plan.shared;
  return t.fill('dispatch', {
    ...identity(t, w),
    scope: scopeOverride ?? area.scope,
    plan: planFor(area, t.p),
    'owned-files': list([...area.owns, ...shared]),
    'not-owned-files': list(others.flatMap((a) => a.owns)) || '- everything outside the files you own',
    ownership: list([
      ...plan.areas.map((a) => `${a.role}: ${a.owns.join(', ')}`),
      ...(shared.length ? [`shared (any worker may append, nobody owns): ${shared.join(', ')}`] : []),
    ]),
    dependencies: area.collaborators.length ? list(area.collaborators.map((c) => `${w.role} works with ${c}`)) : 'none: the areas are independent',
    'acceptance-criteria': list(area.acceptance.length ? area.acceptance : [`${area.scope} is done in the files you own`]),
    'verification-commands': list([plan.verifyCommand]),
    invariants: list(area.invariants.length ? area.invariants : ['existing behaviour and public interfaces stay as they are']),
    'report-format': t.p.templates.report.text,
    roster: roster(t),
    collaborators: area.collaborators.length ? list(area.collaborators) : 'none: all coordination goes through the leader',
  });
}

/** The final report to the user, from the journaled state; `head` is the integration branch's tip. */
export function finalReportText(t: Turn, outcome: 'complete' | 'aborted', verification: string, cleanup: readonly string[], head: string): string {
  const st = t.run;
  const cur = current(st);
  const mergedBy = new Map(st.merges.map((m) => [m.role, m]));
  const why = (w: WorkerRecord) => `${w.why || w.state}${w.sha ? ` (branch ${w.branch} at ${w.sha.slice(0, 12)})` : w.branch ? ` (branch ${w.branch})` : ''}`;
  const excluded = cur.filter((w) => w.state !== 'merged').map((w) => `${w.role}: ${why(w)}`);
  const listed = (xs: readonly string[], none: string) => list(xs.length ? xs : [none]);
  const complete = outcome === 'complete';
  const text = t.fill(
    'final',
    {
      outcome: complete ? 'complete' : `aborted: ${st.reason}`,
      summary: `${st.merges.length} of ${cur.length} tasks merged for: ${st.task}`,
      merges: st.merges.map((m) => ({
        text: `${m.role}: ${m.branch} -> ${m.sha.slice(0, 12)} (${m.tests})`,
        role: m.role,
        branch: m.branch,
        'merge-result': `merged at ${m.sha.slice(0, 12)}`,
        'verification-results': m.tests,
      })),
      excluded: listed(excluded, 'none'),
      'verification-results': verification,
      cleanup: listed(cleanup, 'nothing to clean up'),
      'follow-ups': listed(excluded.length ? ['integrate or redo the tasks listed as not integrated'] : [], 'none'),
      'open-issues': excluded.length ? `not integrated: ${excluded.join('; ')}` : 'none',
      fixes: 'none',
      'journal-path': t.journal.path,
      'leader-thread-id': t.ctx.thread,
      'integration-branch': st.integration,
      'commit-sha': head,
      roster: cur.map((w) => {
        const m = mergedBy.get(w.role);
        return {
          text: `${w.role}: ${m ? 'integrated' : `excluded: ${why(w)}`}`,
          role: w.role,
          'thread-id': w.thread || '-',
          branch: w.branch || '-',
          scope: t.env.plan.areas.find((a) => a.role === w.role)?.scope ?? w.role,
          outcome: m ? `merged at ${m.sha.slice(0, 12)}` : `excluded: ${why(w)}`,
          summary: m ? `merged at ${m.sha.slice(0, 12)}` : `excluded: ${why(w)}`,
          'verification-results': m ? m.tests : '-',
          status: m ? 'integrated' : 'excluded',
        };
      }),
    },
    false,
  );
  // A final template that has no outcome field still says how the run ended.
  return complete || formSlots(t.forms.final).has('outcome') ? text : `Thread-team run aborted: ${st.reason}.\n\n${text}`;
}
