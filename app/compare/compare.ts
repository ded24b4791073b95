// `compare BASE HEAD`: what a skill edit changes, on the same seeds: the profile facts, every
// template as the happy path fills it (a unified diff each), the lint findings, each scenario's
// outcome and violations, and what exploring finds. The verdict: regressed (something that
// held no longer does, or a new error or a protocol requirement lost), changed (only text or
// counts moved), or same.

import { createTwoFilesPatch } from 'diff';
import { checkRun } from '../../src/invariants/index.ts';
import { ReferenceLeader } from '../../src/leader/index.ts';
import type { Finding, SkillProfile, TemplateKind } from '../../src/skill/types.ts';
import { unmetExpectations } from '../../sim/expect.ts';
import { runScenario } from '../../sim/run.ts';
import type { Scenario } from '../../sim/scenario/schema.ts';
import { explore } from '../explore/explore.ts';
import { canonicalMessages } from './canonical.ts';

export interface SideInput {
  /** As the user named it (a folder, or git:REV[:PATH]). */
  label: string;
  profile: SkillProfile | null;
  findings: Finding[];
}

export interface ScenarioSide {
  ok: boolean;
  outcome: string;
  merges: number;
  /** Rule ids of the leader's violations, sorted, each once. */
  rules: string[];
  unmet: string[];
}

export interface Comparison {
  base: string;
  head: string;
  verdict: 'regressed' | 'changed' | 'same';
  /** Why the verdict is what it is, one sentence each (regressions first). */
  reasons: string[];
  facts: { name: string; base: string; head: string }[];
  messages: { kind: TemplateKind; changed: boolean; diff: string }[];
  lint: { added: Finding[]; removed: Finding[] };
  scenarios: { name: string; base: ScenarioSide | null; head: ScenarioSide | null }[];
  explore: { runs: number; seed: number; base: Record<string, number>; head: Record<string, number> } | null;
}

const KINDS: TemplateKind[] = ['registration', 'dispatch', 'report', 'state', 'final'];
const FACTS = [
  'name',
  'defaultModel',
  'defaultThinking',
  'heartbeat',
  'stallPasses',
  'startupWindowMinutes',
  'requiredTools',
  'optionalTools',
  'phases',
  'workerSteps',
  'header',
  'journalPath',
  'workerNotesPath',
  'workerReportPath',
  'completionSignal',
  'blockedSignal',
  'messageLimit',
] as const satisfies readonly (keyof SkillProfile)[];

const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
/** A finding as it reads, without where: an edit that moves a line does not make it new. */
const findingKey = (f: Finding) => `${f.level}: ${f.message}`;
/** A finding that says the skill lost something a protocol rule asks for: `… (M3)`. */
const RULE_AT_END = /\(([A-Z]\d+)\)\s*$/;

async function scenarioSide(scenario: Scenario, profile: SkillProfile): Promise<ScenarioSide> {
  const r = await runScenario({ scenario, profile, leader: (env) => new ReferenceLeader(env, new Set(scenario.leader.flaws)) });
  const check = checkRun(r.events, { workerViolations: scenario.expect.workerViolations });
  const unmet = [...unmetExpectations(scenario, r), ...check.unexpectedMissing];
  const rules = [...new Set(check.failures.map((v) => v.rule))].sort();
  return { ok: unmet.length === 0 && check.failures.length === 0, outcome: r.outcome, merges: r.counts.merges, rules, unmet };
}

export async function compareSkills(
  base: SideInput,
  head: SideInput,
  opts: { scenarios: { name: string; scenario: Scenario }[]; runs: number; seed: number; onProgress?: (what: string) => void },
): Promise<Comparison> {
  const regressions: string[] = [];
  const changes: string[] = [];

  // Lint: a new error, or a new finding naming a protocol rule, is a regression.
  const before = new Set(base.findings.map(findingKey));
  const after = new Set(head.findings.map(findingKey));
  const added = head.findings.filter((f) => !before.has(findingKey(f)) && f.level !== 'info');
  const removed = base.findings.filter((f) => !after.has(findingKey(f)) && f.level !== 'info');
  for (const f of added) {
    const rule = RULE_AT_END.exec(f.message)?.[1];
    if (f.level === 'error') regressions.push(`new lint error in ${f.file}:${f.line}: ${f.message}`);
    else if (rule) regressions.push(`${f.file}:${f.line}: ${f.message.replace(RULE_AT_END, '').trim()}: required by ${rule}, lost on HEAD`);
    else changes.push(`new lint warning in ${f.file}:${f.line}: ${f.message}`);
  }
  if (!head.profile) regressions.push('HEAD cannot be run as written (lint errors)');

  const facts: Comparison['facts'] = [];
  if (base.profile && head.profile) {
    for (const name of FACTS) {
      const a = shown(base.profile[name].value);
      const b = shown(head.profile[name].value);
      if (a !== b) {
        facts.push({ name, base: a, head: b });
        changes.push(`fact ${name}: ${a} → ${b}`);
      }
    }
  }

  const messages: Comparison['messages'] = [];
  if (base.profile && head.profile) {
    opts.onProgress?.('rendering the messages');
    const [a, b] = [await canonicalMessages(base.profile), await canonicalMessages(head.profile)];
    for (const kind of KINDS) {
      const changed = a[kind] !== b[kind];
      const diff = changed ? createTwoFilesPatch(`base/${kind}`, `head/${kind}`, `${a[kind]}\n`, `${b[kind]}\n`, '', '', { context: 2 }) : '';
      messages.push({ kind, changed, diff });
      if (changed) changes.push(`the ${kind} reads differently`);
    }
  }

  const scenarios: Comparison['scenarios'] = [];
  for (const [k, { name, scenario }] of opts.scenarios.entries()) {
    opts.onProgress?.(`scenario ${k + 1}/${opts.scenarios.length}: ${name}`);
    const a = base.profile ? await scenarioSide(scenario, base.profile) : null;
    const b = head.profile ? await scenarioSide(scenario, head.profile) : null;
    scenarios.push({ name, base: a, head: b });
    if (!a || !b) continue;
    if (a.ok && !b.ok) regressions.push(`${name}: held on BASE, fails on HEAD (${[...b.unmet, ...b.rules].join('; ')})`);
    const fresh = b.rules.filter((r) => !a.rules.includes(r));
    if (fresh.length && !(a.ok && !b.ok)) regressions.push(`${name}: new violations on HEAD: ${fresh.join(', ')}`);
    if (a.outcome !== b.outcome || a.merges !== b.merges) changes.push(`${name}: ${a.outcome}/${a.merges} merges → ${b.outcome}/${b.merges}`);
    if (!a.ok && b.ok) changes.push(`${name}: failed on BASE, holds on HEAD`);
  }

  let explored: Comparison['explore'] = null;
  if (opts.runs > 0 && base.profile && head.profile) {
    const side = async (profile: SkillProfile, which: string) => {
      opts.onProgress?.(`exploring ${opts.runs} runs on ${which}`);
      const r = await explore({ runs: opts.runs, seed: opts.seed, profile });
      return r.failed ? { ...r.violationsByRule } : {};
    };
    explored = { runs: opts.runs, seed: opts.seed, base: await side(base.profile, 'BASE'), head: await side(head.profile, 'HEAD') };
    for (const rule of Object.keys(explored.head)) if (!(rule in explored.base)) regressions.push(`explore finds ${rule} on HEAD and not on BASE`);
  }

  const verdict = regressions.length ? 'regressed' : changes.length ? 'changed' : 'same';
  return {
    base: base.label,
    head: head.label,
    verdict,
    reasons: [...regressions, ...changes],
    facts,
    messages,
    lint: { added, removed },
    scenarios,
    explore: explored,
  };
}
