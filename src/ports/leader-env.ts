// What a leader is given to start with: the skill's profile, the task as analysed, and the
// repository. The simulator builds it from a scenario, live mode from the real repository.

import type { SkillProfile } from '../skill/types.ts';
import type { Agent } from './agent.ts';

/** One independent area of the task: a worker's role, scope and the files it owns. */
export interface TaskArea {
  role: string;
  scope: string;
  owns: string[];
  acceptance: string[];
  invariants: string[];
  collaborators: string[];
}

/** What a leader needs to know of the task: the result of its analysis, and the repo. */
export interface TaskPlan {
  prompt: string;
  shape: 'independent' | 'core-refactor';
  areas: TaskArea[];
  /** Files every worker may append to; conflicts there are expected and mechanical. */
  shared: string[];
  verifyCommand: string;
  keepWorktrees: boolean;
}

export interface LeaderEnv {
  profile: SkillProfile;
  plan: TaskPlan;
  repoRoot: string;
  projectId: string;
  /** Shell commands for the logical ones (`npm test`), for a leader that runs them in a real shell. */
  commands: Record<string, string>;
}

export type LeaderFactory = (env: LeaderEnv) => Agent;
