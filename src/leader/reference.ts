// The reference leader: one Turn per wake, routed by what the journal and the inputs say
// (decisions.ts), then carried out by the phases (setup, signals, polling, merging, ending).

import type { Flaw } from '../core/flaws.ts';
import type { Agent, TurnContext, TurnInput } from '../ports/agent.ts';
import type { LeaderEnv } from '../ports/leader-env.ts';
import { route } from './decisions.ts';
import { defects } from './defects.ts';
import { abort, finishAbort } from './ending.ts';
import { advance } from './merging.ts';
import { type Inbox, sortInputs } from './messages.ts';
import { poll } from './polling.ts';
import { analyse, freshState, start } from './setup.ts';
import { processSignals } from './signals.ts';
import { DECLINED_TEXT, heartbeatAck, nothingToCancelText, statusText } from './texts.ts';
import { Turn } from './turn.ts';

/**
 * The thread-team protocol as deterministic code. It is driven by the skill: settings,
 * intervals, paths and signals come from the profile, and every message to a worker is a
 * template of the skill rendered verbatim. Between turns it remembers nothing: each turn
 * starts by reading the journal, and every change is journaled before the next outward act.
 */
export class ReferenceLeader implements Agent {
  /** Turns this instance has run: a fresh instance is a leader that lost its context. */
  private turns = 0;

  constructor(
    private readonly env: LeaderEnv,
    /** Deliberate defects, for proving that the invariants catch them (never set in real runs). */
    private readonly flaws: ReadonlySet<Flaw> = new Set(),
  ) {}

  async turn(ctx: TurnContext, inputs: TurnInput[]): Promise<void> {
    this.turns++;
    const t = new Turn(this.env, defects(this.flaws), ctx, this.turns === 1);
    const inbox = sortInputs(t.p, inputs);
    const ended = await runTurn(t, inbox);
    // A heartbeat turn ends by telling the automation there is nothing to notify.
    if (ended !== 'declined') for (const id of inbox.heartbeats) t.ctx.say(heartbeatAck(id));
  }
}

async function runTurn(t: Turn, inbox: Inbox): Promise<'declined' | 'done'> {
  const intents = inbox.user.map((u) => u.intent);
  if (!t.does('read-journal') && t.firstTurn && !intents.includes('task')) {
    // J4 broken, the amnesiac: woken with no memory, it does not reread the journal but starts
    // the team over from the task it was given, as if the user had just confirmed.
    t.st = freshState(t, 'running');
    await start(t, '');
    return 'done';
  }
  t.st = await t.journal.read();
  const st = t.st;
  const r = route(st?.status ?? null, intents, inbox.heartbeats.length);
  if (st && r.deleteOrphans && t.does('delete-heartbeat')) {
    // A heartbeat of a finished run is an orphan: it would wake this thread forever.
    for (const id of inbox.heartbeats) if (id) await t.heartbeatCall({ mode: 'delete', id });
    st.heartbeat = null;
    await t.save(`deleted orphan heartbeat ${inbox.heartbeats.join(', ')}`);
  }
  if (r.answerStatus && t.does('answer-status')) t.ctx.say(statusText(t.run));
  switch (r.route) {
    case 'analyse':
      await analyse(t);
      break;
    case 'idle-status':
      t.ctx.say(statusText(t.run));
      break;
    case 'nothing-to-cancel':
      t.ctx.say(nothingToCancelText(t.run.status));
      break;
    case 'decline':
      t.run.status = 'declined';
      t.run.next = 'nothing: the user declined the team';
      await t.save('user declined the team; nothing was created');
      t.ctx.say(DECLINED_TEXT);
      return 'declined';
    case 'confirm':
      await start(t, inbox.user.find((u) => u.intent === 'confirm')!.text);
      // A team none of whose workers could be run ends here: nothing will wake the leader again.
      await advance(t);
      break;
    case 'finish-abort':
      await finishAbort(t);
      break;
    case 'cancel':
      if (t.does('teardown-on-cancel')) {
        await abort(t, 'the user cancelled the run');
        break;
      }
      await work(t, inbox);
      break;
    case 'work':
      await work(t, inbox);
      break;
    case 'await-answer':
    case 'idle':
      break;
  }
  return 'done';
}

/** A running team's turn: worker signals first, then the heartbeat pass, then merges when due. */
async function work(t: Turn, inbox: Inbox): Promise<void> {
  const woken = inbox.heartbeats.length > 0 || inbox.workers.length > 0;
  await processSignals(t, inbox.workers);
  await poll(t, woken, inbox.heartbeats.length > 0);
  await advance(t);
}
