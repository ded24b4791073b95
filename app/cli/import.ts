// `thread-team-sim import`: a real run, read back from the rollout files Codex left, as a trace
// the invariants can check (`--check`, or `check` later), with no re-run and no model cost.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { type CliIO, InputError, UsageError } from './io.ts';
import { outputFile, shownPath } from './outputs.ts';
import { parseJournalPattern, parseRuleSet, profileFor, RULES_HELP } from './common.ts';
import { KNOWN_CLI, pickLeader, readRollouts } from '../import/find.ts';
import { RolloutError } from '../import/rollout.ts';
import { rolloutsToTrace, runsOf, undecidableOf, undecided, UNSEEN_RULES, unseenNames } from '../import/to-trace.ts';
import { writeTrace } from '../../src/trace/jsonl.ts';
import { checkTrace, counts, type RuleSet } from '../../src/invariants/index.ts';

interface ImportOpts {
  codexHome?: string;
  leader?: string;
  latest?: boolean;
  since?: string;
  run?: string;
  skill?: string;
  out?: string;
  check?: boolean;
  rules?: string;
  verify: string[];
  journal?: string;
  force?: boolean;
  json?: boolean;
}

export function registerImport(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('import')
    .description("read a real run back from Codex's rollout files as a trace, and check it (--check)")
    .argument('[files...]', 'rollout files (rollout-…-<threadId>.jsonl); default: every one under --codex-home')
    .option('--codex-home <dir>', 'a Codex home to search (sessions/ and archived_sessions/); default $CODEX_HOME, else ~/.codex')
    .option('--leader <id>', "the leader's thread id (a unique prefix will do)")
    .option('--latest', 'the latest thread that created threads (the default when --leader is not given)')
    .option('--since <date>', 'only threads started on or after this date (YYYY-MM-DD or an ISO time)')
    .option('--run <n>', "which of the leader's team runs, 1 for its first (default: its last)")
    .option('--skill <dir>', 'the skill the leader followed (default: the one Codex added to its conversation, if that folder still exists)')
    .option('--out <trace>', 'where to write the trace (JSONL)')
    .option('--check', 'also check the trace and print the verdict')
    .option('--rules <set>', `${RULES_HELP}; default protocol, or core for a skill outside the protocol's family`)
    .option(
      '--journal <pattern>',
      "where the skill keeps its state, relative to the repository, <…> for the leader's thread id (default: the skill's journal path)",
    )
    .option(
      '--verify <command>',
      'a build/test command the run verified with, as typed (repeatable; default: the common ones, npm test, make test, pytest, cargo test, …)',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option('--force', 'replace an existing --out file')
    .option('--json', 'print the summary (and the verdict) as JSON')
    .addHelpText(
      'after',
      [
        '',
        "The leader's rollout is followed to the threads it created (by the ids create_thread answered),",
        'active or archived. A rollout records tool calls, messages, turns and the commands run with what they',
        'printed; what the commands did is read from them: merges (git merge, and how git said it went),',
        'worktrees added and removed, diffs and reports read, build/test runs (--verify), journal writes',
        '(redirects, tee, heredocs, apply_patch, a script naming it). What a rollout cannot show is listed',
        `as undecidable, never guessed: ${unseenNames(UNSEEN_RULES)} (and, for a run this harness hosted, S1 and S3:`,
        "its clock was simulated; with a worker's rollout missing, L2 and the clauses of R1 and W2 that need its folder;",
        'for a skill of another dialect without --journal, J1).',
        'Here: 1 a rule broken (with --check); 2 bad input (one line).',
      ].join('\n'),
    )
    .action(async (files: string[], opts: ImportOpts) => {
      if (opts.leader !== undefined && opts.latest) throw new UsageError('import: --leader and --latest choose the leader two ways: give one');
      if (files.length && opts.codexHome) throw new UsageError('import: give rollout files or --codex-home, not both');
      const asked = opts.rules === undefined ? undefined : parseRuleSet(opts.rules);
      const journal = opts.journal === undefined ? undefined : parseJournalPattern(opts.journal);
      if (!opts.out && !opts.check) throw new UsageError('import: nothing to do: give --out TRACE.jsonl, --check, or both');
      for (const v of opts.verify) if (!v.trim() || /[\n\r]/.test(v)) throw new UsageError('import: --verify: one command on one line');
      let since: number | undefined;
      if (opts.since !== undefined) {
        since = Date.parse(opts.since);
        if (!Number.isFinite(since)) throw new UsageError(`--since: "${opts.since.slice(0, 40)}" is not a date (YYYY-MM-DD or an ISO time)`);
      }
      const home = opts.codexHome ?? process.env.CODEX_HOME ?? (process.env.HOME ? `${process.env.HOME}/.codex` : undefined);
      const source = files.length ? { files: files.map((f) => resolve(io.cwd, f)) } : { codexHome: resolve(io.cwd, home ?? '.codex') };
      const out = opts.out ? await outputFile('--out', opts.out, io, { inputs: 'files' in source ? source.files : [], force: Boolean(opts.force) }) : undefined;
      let read;
      let leader;
      try {
        read = await readRollouts(source);
        leader = pickLeader(read.threads, opts.leader, since);
      } catch (e) {
        if (e instanceof RolloutError) throw new InputError(e.message, 2);
        throw e;
      }
      // The skill Codex added: at the path the rollout names, else under the Codex home read
      // (a kept home was copied from where the run had it).
      const named = leader.skills[0];
      const readHome = 'codexHome' in source ? source.codexHome : null;
      const inHome = named && readHome ? join(readHome, 'skills', named.name) : null;
      const skillDir = opts.skill ?? (named ? (!existsSync(dirname(named.path)) && inHome && existsSync(inHome) ? inHome : dirname(named.path)) : undefined);
      if (!skillDir) throw new InputError(`import: the leader's rollout names no skill Codex added; give the skill with --skill DIR`, 2);
      // A skill outside the protocol's family (its own words, no templates of ours) is read with
      // the protocol's defaults and judged on the four rules any thread-team skill keeps.
      let foreign: string | null = null;
      let { profile } = await profileFor(skillDir, io).catch(async (e: unknown) => {
        if (e instanceof InputError && existsSync(join(skillDir, 'SKILL.md'))) {
          foreign = (e as Error).message;
          return profileFor(undefined, io);
        }
        throw opts.skill === undefined
          ? new InputError(`import: the skill the leader used (${skillDir}) cannot be read (${(e as Error).message}); give it with --skill DIR`, 2)
          : e;
      });
      // Where the state is kept: as given, else the skill's own path (unknown for a foreign skill: J1 undecidable).
      const journalPath = journal ?? (foreign ? '' : profile.journalPath.value);
      profile = {
        ...profile,
        journalPath: { value: journalPath, file: journal ? '--journal' : profile.journalPath.file, line: 0, rule: journal ? 'flag' : profile.journalPath.rule },
      };
      const rules: RuleSet = asked ?? (foreign ? 'core' : 'protocol');
      const others = new Map(read.threads.filter((t) => t !== leader).map((t) => [read.aliases.get(t.id) ?? t.id, t]));
      // A leader thread may have led several team runs, one after another: one is imported.
      const runs = runsOf(leader, profile);
      const which = opts.run === undefined ? runs.length : Number(opts.run);
      if (!Number.isInteger(which) || which < 1 || which > runs.length)
        throw new InputError(`--run: "${opts.run}" is not one of the leader's runs (it led ${runs.length}: give 1 to ${runs.length})`, 2);
      const run = rolloutsToTrace({ leader: runs[which - 1]!, others, profile, aliases: read.aliases, verify: opts.verify.map((v) => v.trim()) });
      const versions = [...new Set(read.threads.map((t) => t.cliVersion).filter((v): v is string => v !== null && !KNOWN_CLI.test(v)))];
      const notes = [
        ...(foreign
          ? [
              `the skill ${skillDir} is not of the protocol's family (${String(foreign).replace(/^skill \S+ cannot drive a leader: /, '')}): ${asked ? `judged on the ${asked} rules, as asked` : "judged on the core rules (W1, H1, R1's serial clause, J1)"}${journal ? '' : '; J1 needs where it keeps its state: give --journal PATTERN'}`,
            ]
          : []),
        ...(runs.length > 1 ? [`the leader led ${runs.length} team runs; this is run ${which} (--run picks another)`] : []),
        ...run.warnings,
        ...(versions.length ? [`rollouts of Codex ${versions.join(', ')}: this reader knows 0.163's format; fields it does not know are skipped`] : []),
        ...run.missing.map((id) => `the rollout of thread ${id}, which the leader created, was not found: its side of the run is left out`),
      ];
      if (out) await writeTrace(out, run.events);
      const threads = run.events.filter((e) => e.kind === 'thread.created').length;
      const runLeader = run.events[0]?.kind === 'run.start' ? run.events[0].leader : leader.id;
      const verdict = opts.check ? judge(run.events, rules) : null;
      if (verdict) setExit(verdict.violations.length ? 1 : 0);
      if (opts.json) {
        io.out(
          JSON.stringify({ leader: leader.id, threads, missing: run.missing, notes, trace: out ? shownPath(io, out) : null, ...(verdict ? { verdict } : {}) }),
        );
        return;
      }
      for (const n of notes) io.err(`import: ${n}`);
      io.out(
        `leader ${leader.id}${runLeader !== leader.id ? ` (known to the run as ${runLeader})` : ''}: ${threads} threads created, ${threads - run.missing.length} rollouts found; ${run.events.length} events${out ? ` written to ${shownPath(io, out)}` : ''}`,
      );
      if (verdict) {
        for (const v of verdict.violations) io.out(`${v.rule} ${v.message} (events ${v.events.join(', ')})`);
        if (verdict.violations.length)
          io.out(out ? `show: thread-team-sim show ${shownPath(io, out)}` : 'show: write the trace with --out FILE, then thread-team-sim show FILE');
        io.out(
          `${verdict.violations.length ? `${verdict.violations.length} violations` : 'no violation'} by the leader${rules === 'core' ? ' (rules: core)' : ''}; undecidable from rollouts: ${unseenNames(undecidableOf(run.events))}`,
        );
      }
    });
}

/** The leader's violations of the rules a rollout can decide. */
function judge(events: Parameters<typeof checkTrace>[0], rules: RuleSet): { violations: { rule: string; message: string; events: number[] }[] } {
  const unseen = undecidableOf(events);
  const result = checkTrace(events);
  return {
    violations: result.violations
      .filter((v) => v.by === 'leader' && !undecided(v, unseen) && counts(v, rules))
      .map((v) => ({ rule: v.rule, message: v.message, events: v.events })),
  };
}
