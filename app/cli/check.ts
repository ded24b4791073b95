// `thread-team-sim check TRACE.jsonl`: the invariants on a recorded trace (a live run's).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { type CliIO, InputError } from './io.ts';
import { shownPath } from './outputs.ts';
import { readTrace, TraceFormatError } from '../../src/trace/jsonl.ts';
import { CHECKERS, CORE_RULES, UNDECIDABLE, checkTrace, counts } from '../../src/invariants/index.ts';
import { parseJournalPattern, parseRuleSet, RULES_HELP, withJournal } from './common.ts';
import { fsReason } from '../../src/core/errors.ts';
import { undecidableOf, undecided, unseenNames } from '../import/to-trace.ts';

export function registerCheck(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('check')
    .description('check a recorded JSONL trace against every protocol invariant')
    .argument('<trace>', 'a trace written by run --trace (or by a live run)')
    .option('--json', 'print {violations, faultsFired, faultsMissed, undecidable} as JSON')
    .option('--all', 'also fail on violations by workers (by default only the leader is judged)')
    .option('--rules <set>', RULES_HELP, 'protocol')
    .option(
      '--journal <pattern>',
      "where the run's skill keeps its state (relative to the repository, <…> for the leader's thread id), instead of the path the trace names",
    )
    .addHelpText(
      'after',
      '\nHere: 1 means a rule broken by the leader (by any thread, with --all); 2 an unreadable or malformed trace (FILE:LINE: what is wrong).',
    )
    .action(async (file: string, opts: { json?: boolean; all?: boolean; rules: string; journal?: string }) => {
      const rules = parseRuleSet(opts.rules);
      const journal = opts.journal === undefined ? undefined : parseJournalPattern(opts.journal);
      const path = resolve(io.cwd, file);
      let events;
      try {
        events = await readTrace(path, shownPath(io, path));
      } catch (e) {
        if (e instanceof TraceFormatError) throw new InputError(e.message, 2);
        throw new InputError(`${file}: cannot read it: ${fsReason(e)}`, 2);
      }
      events = withJournal(events, journal);
      let result;
      try {
        result = checkTrace(events);
      } catch (e) {
        throw new InputError(`${file}: not a checkable trace: ${(e as Error).message}`, 2);
      }
      // A trace imported from rollouts cannot decide the rules judged on the repository's history.
      const fromImport = undecidableOf(events);
      const imported = fromImport.length > 0;
      result.violations = result.violations.filter((v) => !undecided(v, fromImport) && counts(v, rules));
      const judged = result.violations.filter((v) => opts.all || v.by === 'leader');
      setExit(judged.length ? 1 : 0);
      if (opts.json) {
        const fromRollouts = fromImport.map((r) => ({ rule: r.rule, part: r.clause ?? 'the whole rule', reason: r.reason }));
        io.out(JSON.stringify({ ok: judged.length === 0, ...result, undecidable: [...UNDECIDABLE, ...fromRollouts] }, null, 2));
        return;
      }
      for (const v of result.violations) io.out(`${v.rule} ${v.by === 'worker' ? '(worker) ' : ''}${v.message} (events ${v.events.join(', ')})`);
      if (judged.length) io.out(`show: thread-team-sim show ${file}${opts.journal !== undefined ? ` --journal ${opts.journal}` : ''}`);
      io.out(
        `${events.length} events, ${rules === 'core' ? CORE_RULES.length : CHECKERS.length} rules checked: ${judged.length ? `${judged.length} violation${judged.length === 1 ? '' : 's'}` : 'no violation'}` +
          `${result.violations.length > judged.length ? ` (${result.violations.length - judged.length} by workers, not judged)` : ''}` +
          `; faults that struck: ${result.faultsFired.join(', ') || 'none'}${result.faultsMissed.length ? `; planned but never struck: ${result.faultsMissed.join(', ')}` : ''}` +
          (imported ? `; imported from rollouts, undecidable: ${unseenNames(fromImport)}` : '') +
          (rules === 'core' ? `; rules: core (${CORE_RULES.map((r) => r.rule).join(', ')})` : ''),
      );
    });
}
