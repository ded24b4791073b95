import type { Scenario } from './scenario/schema.ts';
import type { World } from './world/world.ts';
import type { SimThread, SimTurn } from './world/types.ts';

// The person at the keyboard, as a scenario scripts them: they give the task, answer the
// leader's one checkpoint (confirm or decline, possibly choosing other worker settings),
// ask for status and cancel at given times.

export const USER_TEXT = {
  status: 'What is the status of the team?',
  cancel: 'Cancel the run: stop the team now.',
  decline: 'No, do not start a team.',
};

export class UserScript {
  private answered = false;

  constructor(private readonly s: Scenario) {}

  start(w: World, leader: string): void {
    w.userSays(leader, this.s.task.prompt, 'task');
    for (const at of this.s.user.status) w.sched.at(at, 'user status', () => w.userSays(leader, USER_TEXT.status, 'status'));
    const cancel = this.s.user.cancel;
    if (cancel !== undefined) w.sched.at(cancel, 'user cancel', () => w.userSays(leader, USER_TEXT.cancel, 'cancel'));
  }

  /** The first question the leader ends a turn with is its checkpoint: answer it once. */
  afterLeaderTurn(w: World, leader: SimThread, turn: SimTurn): void {
    if (this.answered) return;
    const asked = turn.items.some((i) => i.type === 'agentMessage' && i.text.includes('?'));
    if (!asked) return;
    this.answered = true;
    const u = this.s.user;
    const text = !u.confirm
      ? USER_TEXT.decline
      : u.settings
        ? `Yes, go ahead, but use model ${u.settings.model} with thinking ${u.settings.thinking}.${u.keepWorktrees ? ' Keep the worktrees afterwards.' : ''}`
        : `Yes, go ahead with those settings.${u.keepWorktrees ? ' Keep the worktrees afterwards.' : ''}`;
    w.sched.after(30_000, 'user answer', () => w.userSays(leader.id, text, u.confirm ? 'confirm' : 'decline'));
  }
}
