// Results for CI: a JUnit XML file (any CI shows per-scenario results from it) and a Markdown
// summary (a pull-request comment or a job summary), for `run` and `explore`. The XML is built
// by junit-report-builder, never by hand.

import junitModule, { type Builder } from 'junit-report-builder';
import type { ExploreReport } from '../explore/explore.ts';
import type { HostName } from '../../src/contract/hosts.ts';
import type { Violation } from '../../src/invariants/index.ts';
import type { RunResult } from '../../sim/run.ts';

// A CommonJS module: under Node's ESM loader its default import is `module.exports`, whose
// `default` is the builder; other loaders hand over the builder itself.
const junit: Builder = (junitModule as unknown as { default?: Builder }).default ?? (junitModule as unknown as Builder);

/** A fresh JUnit report to fill (see junit-report-builder). */
export function newJunit(): Builder {
  return junit.newBuilder();
}

/** `key n, key n` by count, largest first; `none` for none. */
export function tally(o: Record<string, number>): string {
  return (
    Object.entries(o)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none'
  );
}

/** One scenario's result, as `run` prints it (and `--json` writes it). */
export interface ScenarioReport {
  scenario: string;
  file: string;
  /** The fixture skill the scenario is pinned to, when it ran with it. */
  skill?: string;
  ok: boolean;
  error?: string;
  seed?: number;
  outcome?: string;
  simMinutes?: number;
  counts?: RunResult['counts'];
  hash?: string;
  unmet?: string[];
  violations?: Violation[];
  faultsFired?: string[];
  /** The host whose thread tools answered, when not the desktop app's. */
  host?: HostName;
  /** Messages the host refused for their size (the terminal UI's 1,000-byte prompt limit). */
  refused?: string[];
  trace?: string;
  /** The command that shows this run as a timeline (a failed run). */
  show?: string;
  /** The HTML timeline written for this run (a failed run, with --report). */
  report?: string;
  /** Which of `--trials` runs of the scenario this is (1-based), when there were several. */
  trial?: number;
}

/** The scenario's name, with its trial when it ran several times. */
export const runName = (r: ScenarioReport) => (r.trial ? `${r.scenario} (trial ${r.trial})` : r.scenario);

/** What a failed scenario printed, as one text (unmet expectations, violations, the replay line). */
function failureText(r: ScenarioReport): string {
  if (r.error) return r.error;
  return [
    ...(r.refused ?? []).map((x) => `refused by the ${r.host} host: ${x}`),
    ...(r.unmet ?? []).map((u) => `unmet: ${u}`),
    ...(r.violations ?? []).map((v) => `${v.rule}: ${v.message} (events ${v.events.join(', ')})`),
    `replay: thread-team-sim run ${r.file} --seed ${r.seed}${r.host ? ` --host ${r.host}` : ''}`,
  ].join('\n');
}

/** One testcase per scenario, in a suite named after the skill. */
export function runJunit(reports: readonly ScenarioReport[], skill: string): string {
  const b = newJunit();
  const suite = b.testSuite().name(`thread-team-sim run (${skill})`);
  for (const r of reports) {
    const tc = suite
      .testCase()
      .className(`run.${r.skill ?? 'skill'}`)
      .name(runName(r))
      .file(r.file);
    if (r.outcome) tc.property('outcome', r.outcome);
    if (r.seed !== undefined) tc.property('seed', String(r.seed));
    if (r.hash) tc.property('trace-hash', r.hash);
    if (r.host) tc.property('host', r.host);
    if (!r.ok) {
      const first = r.error ?? r.unmet?.[0] ?? (r.violations?.[0] ? `${r.violations[0].rule}: ${r.violations[0].message}` : 'failed');
      tc.failure(first, 'thread-team-sim');
      tc.standardOutput(failureText(r));
    }
  }
  return b.build();
}

/** One testcase for the whole exploration, failed with the shrunk case's violations. */
export function exploreJunit(r: ExploreReport, replay: string | null): string {
  const b = newJunit();
  const suite = b.testSuite().name('thread-team-sim explore');
  const tc = suite
    .testCase()
    .className('explore')
    .name(`${r.runs} generated scenarios, seed ${r.seed}`)
    .time(r.exploreMs / 1000);
  for (const [k, v] of Object.entries(r.deliveries)) tc.property(`delivery.${k}`, String(v));
  if (r.failed) {
    const v = r.violations[0];
    tc.failure(v ? `${v.rule}: ${v.message}` : 'a violation', 'thread-team-sim');
    tc.standardOutput([...r.violations.map((x) => `${x.rule}: ${x.message}`), ...(replay ? [`replay: ${replay}`] : [])].join('\n'));
  }
  return b.build();
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A table of the scenarios, then each failure in a collapsed block. */
export function runMarkdown(reports: readonly ScenarioReport[], skill: string): string {
  const failed = reports.filter((r) => !r.ok);
  const lines = [
    `### thread-team-sim run: ${reports.length - failed.length} of ${reports.length} scenarios held (${cell(skill)})`,
    '',
    '| scenario | result | outcome | workers | replacements | reworks | merges |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of reports) {
    const c = r.counts;
    lines.push(
      `| ${cell(runName(r))} | ${r.ok ? 'held' : '**failed**'} | ${cell(r.outcome ?? '-')} | ${c?.workers ?? '-'} | ${c?.replacements ?? '-'} | ${c?.reworks ?? '-'} | ${c?.merges ?? '-'} |`,
    );
  }
  for (const r of failed)
    lines.push('', `<details><summary>${cell(runName(r))}: what failed</summary>`, '', '```text', failureText(r), '```', '', '</details>');
  return `${lines.join('\n')}\n`;
}

export function exploreMarkdown(r: ExploreReport, replay: string | null): string {
  const lines = [
    `### thread-team-sim explore: ${r.failed ? '**a violation found**' : 'no invariant was broken'} (${r.runs} runs, seed ${r.seed})`,
    '',
    '| | |',
    '|---|---|',
    `| fault families on | ${tally(r.familiesOn)} |`,
    `| faults that struck | ${tally(r.faultsFired)} |`,
    `| message delivery to busy threads | ${tally(r.deliveries)} |`,
    `| outcomes | ${tally(r.outcomes)} |`,
  ];
  if (r.failed)
    lines.push(
      '',
      '<details><summary>the shrunk case</summary>',
      '',
      '```text',
      ...r.violations.map((v) => `${v.rule}: ${v.message}`),
      ...(replay ? [`replay: ${replay}`] : []),
      '```',
      '',
      '</details>',
    );
  return `${lines.join('\n')}\n`;
}
