// `thread-team-sim lint`: load a skill directory, print its profile or its findings.

import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { type CliIO, InputError, UsageError } from './io.ts';
import { shownIn } from './outputs.ts';
import { DEFAULT_SOURCE, SkillDirError, lintSkill, type Finding, type SkillProfile } from '../../src/skill/index.ts';
import { HOSTS, TUI_PROMPT_LIMIT_BYTES, TUI_PROMPT_TOO_LONG } from '../../src/contract/hosts.ts';
import { renderedSizes, thousands } from './host-fit.ts';
import { projectPath } from '../../src/core/project.ts';

/** The project's own skill/, found from this file rather than from the working directory. */
export const DEFAULT_SKILL_DIR = projectPath('skill');

export function registerLint(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('lint')
    .description('check a thread-team skill: its profile facts, its five templates and their holes')
    .option('--skill <dir>', "skill directory to check (default: the project's skill/)")
    .option('--strict', 'fail on warnings too (a defaulted fact, a field the protocol asks for that a template lacks)')
    .option('--json', 'print {ok, dir, counts, profile, findings} as JSON instead of text')
    .option('--host <name>', "also check the messages fit this host's thread tools: desktop (no known limit) or tui (1,000-byte prompts)", 'desktop')
    .addHelpText(
      'after',
      [
        '',
        'Findings have a level: error (the skill cannot be run as written), warning (it runs on a',
        'protocol default, or a template lacks something the protocol asks for), info (worth',
        'knowing: a free-text hole, a header the leader adds). Each is one line: FILE:LINE: LEVEL: what.',
        '',
        'With --host tui each message template is rendered as the reference leader renders it in the',
        "catalogue's happy path, and one over the terminal UI's 1,000-byte prompt limit is a warning:",
        'that host refuses to send it.',
        '',
        'Here: 0 means no errors (the profile is printed, each fact with where it was read);',
        '      1 errors (or, with --strict, warnings); 2 a directory that cannot be read.',
        'FILE is relative to the current directory when inside it, else absolute.',
        'How facts and forms are read: src/skill/README.md.',
      ].join('\n'),
    )
    .action(async (opts: { skill?: string; json?: boolean; strict?: boolean; host: string }) => {
      if (!(HOSTS as readonly string[]).includes(opts.host)) throw new UsageError(`--host: unknown host "${opts.host}" (known: ${HOSTS.join(', ')})`);
      const dir = opts.skill === undefined ? DEFAULT_SKILL_DIR : resolve(io.cwd, opts.skill);
      let result: { profile: SkillProfile | null; findings: Finding[] };
      try {
        result = await lintSkill(dir);
      } catch (e) {
        if (e instanceof SkillDirError) throw new InputError(shownIn(io, e.message), 2);
        throw e;
      }
      const { profile } = result;
      const findings = [...result.findings];
      if (opts.host === 'tui' && profile && !findings.some((f) => f.level === 'error')) findings.push(...(await hostFindings(profile)));
      const counts = { error: 0, warning: 0, info: 0 };
      for (const f of findings) counts[f.level]++;
      const ok = counts.error === 0 && (!opts.strict || counts.warning === 0);
      setExit(ok ? 0 : 1);
      if (opts.json) {
        io.out(JSON.stringify({ ok, dir: resolve(dir), counts, profile: profile && withoutTemplateText(profile), findings }, null, 2));
        return;
      }
      const show = (file: string): string => {
        if (file === DEFAULT_SOURCE.file) return file;
        const abs = join(dir, file);
        const rel = relative(io.cwd, abs);
        return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? abs : rel;
      };
      const tally = `${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} note${counts.info === 1 ? '' : 's'}`;
      if (counts.error === 0 && profile) for (const line of summary(profile, show('.'), tally, show)) io.out(line);
      for (const f of findings) io.out(`${show(f.file)}:${f.line}: ${f.level}: ${f.message}`);
      if (!ok) io.err(`${tally} in ${show('.')}${counts.error === 0 ? ' (--strict fails on warnings)' : ''}`);
    });
}

/** The profile as JSON shows it: every fact with its source; templates by file and holes, not their text. */
function withoutTemplateText(p: SkillProfile): unknown {
  const templates = Object.fromEntries(Object.entries(p.templates).map(([k, t]) => [k, { file: t.file, line: t.line, holes: t.holes }]));
  return { ...p, templates };
}

function summary(p: SkillProfile, where: string, tally: string, show: (file: string) => string): string[] {
  const at = (f: { file: string; line: number; rule: string }) => (f.rule === 'default' ? 'protocol default' : `${show(f.file)}:${f.line}`);
  const templates = Object.values(p.templates).map((t) => `${t.kind} ${t.file} (${t.holes.length} holes)`);
  return [
    `skill ${p.name.value} (${where}): ${tally}`,
    `  workers: model ${p.defaultModel.value} [${at(p.defaultModel)}], thinking ${p.defaultThinking.value} [${at(p.defaultThinking)}]`,
    `  heartbeat: every ${p.heartbeat.value.minutes} min (${p.heartbeat.value.rrule}) [${at(p.heartbeat)}]; stall after ${p.stallPasses.value} silent passes [${at(p.stallPasses)}]; startup window ${p.startupWindowMinutes.value} min [${at(p.startupWindowMinutes)}]`,
    `  tools: required ${p.requiredTools.value.join(', ')} [${at(p.requiredTools)}]; optional ${p.optionalTools.value.join(', ')} [${at(p.optionalTools)}]`,
    `  phases [${at(p.phases)}]: ${p.phases.value.map((s, i) => `${i + 1}. ${s}`).join(' | ')}`,
    `  worker steps [${at(p.workerSteps)}]: ${p.workerSteps.value.join(' | ')}`,
    `  messages: header ${p.header.value} [${at(p.header)}]; signals ${p.completionSignal.value} [${at(p.completionSignal)}] / ${p.blockedSignal.value} [${at(p.blockedSignal)}]; at most ${p.messageLimit.value} characters [${at(p.messageLimit)}]`,
    `  files: journal ${p.journalPath.value} [${at(p.journalPath)}]; worker notes ${p.workerNotesPath.value} [${at(p.workerNotesPath)}]; worker report ${p.workerReportPath.value} [${at(p.workerReportPath)}]`,
    `  templates: ${templates.join('; ')}`,
  ];
}

/** One warning per message template whose canonical rendering the terminal UI would refuse. */
async function hostFindings(p: SkillProfile): Promise<Finding[]> {
  return (await renderedSizes(p))
    .filter((s) => s.bytes > TUI_PROMPT_LIMIT_BYTES)
    .map((s) => ({
      level: 'warning' as const,
      file: p.templates[s.kind].file,
      line: p.templates[s.kind].line,
      message: `host tui: the ${s.kind} renders to ${thousands(s.bytes)} bytes (to ${s.to} in the happy path), over the terminal UI's ${thousands(TUI_PROMPT_LIMIT_BYTES)}-byte prompt limit: that host refuses to send it ("${TUI_PROMPT_TOO_LONG}")`,
    }));
}
