import type { SkillProfile } from '../../src/skill/types.ts';
import { renderHeader } from '../../src/skill/index.ts';
import { composeMessage } from '../../src/skill/compose.ts';
import type { TurnContext } from '../../src/ports/agent.ts';
import type { Assignment } from './assignment.ts';

/** The line a worker adds to a file it works on: how its contribution shows in the tree. */
export const contributionLine = (role: string, scope: string) => `// ${role}: ${scope.split('\n')[0]!.slice(0, 80)}`;
export const BUG_LINE = '// BUG: off-by-one left in';

/**
 * What a worker does, in the skill's terms, during one of its turns: notes, edits, commits,
 * the report file and the signals. Behaviours compose these; some misuse them on purpose.
 */
export class WorkerKit {
  constructor(
    readonly ctx: TurnContext,
    readonly a: Assignment,
    readonly profile: SkillProfile,
  ) {}

  /** The directory this worker acts in: its own, unless a behaviour says otherwise. */
  dir = () => this.a.dir;

  header(): string {
    return renderHeader(this.profile, this.a.role, this.a.self);
  }

  async send(to: string, body: string): Promise<boolean> {
    const r = await this.ctx.call('send_message_to_thread', { threadId: to, prompt: `${this.header()}\n${body}` });
    return r.ok;
  }

  sendLeader(body: string): Promise<boolean> {
    return this.send(this.a.leader, body);
  }

  async note(text: string): Promise<void> {
    const prev = (await this.ctx.ws.readFile(this.dir(), this.a.notesPath)) ?? '';
    await this.ctx.ws.writeFile(this.dir(), this.a.notesPath, `${prev}- [${this.ctx.nowIso()}] ${text}\n`);
  }

  /** Work for `minutes` of virtual time, leaving a note every few minutes (observable progress). */
  async work(minutes: number, what: string, noteEveryMin = 3): Promise<void> {
    let left = minutes;
    while (left > 0) {
      const step = Math.min(left, noteEveryMin);
      await this.ctx.sleep(step * 60_000);
      left -= step;
      await this.note(`${what}: ${minutes - left}/${minutes} min`);
    }
  }

  async appendLine(path: string, line: string, dir = this.dir()): Promise<void> {
    const prev = (await this.ctx.ws.readFile(dir, path)) ?? '';
    const sep = prev === '' || prev.endsWith('\n') ? '' : '\n';
    await this.ctx.ws.writeFile(dir, path, `${prev}${sep}${line}\n`);
  }

  async editOwned(dir = this.dir()): Promise<void> {
    for (const f of this.a.owned) await this.appendLine(f, contributionLine(this.a.role, this.a.scope), dir);
  }

  async verify(): Promise<{ ok: boolean; lines: string[] }> {
    const lines: string[] = [];
    let ok = true;
    for (const cmd of this.a.verification) {
      const r = await this.ctx.ws.run(this.dir(), cmd);
      lines.push(`${cmd}: exit ${r.exitCode}`);
      if (r.exitCode !== 0) ok = false;
    }
    return { ok, lines };
  }

  async commit(message: string): Promise<string> {
    const sha = await this.ctx.ws.commitAll(this.dir(), message);
    return sha ?? (await this.ctx.ws.resolve(this.a.branch));
  }

  async writeReport(sha: string, summary: string, verification: string[], openIssues = 'none'): Promise<void> {
    const base = this.a.base;
    const changed = base ? await this.ctx.ws.changedFiles(base, sha) : [];
    const none = 'none';
    const text = composeMessage(
      this.profile,
      'report',
      {
        role: this.a.role,
        'worker-thread-id': this.a.self,
        'thread-id': this.a.self,
        'leader-thread-id': this.a.leader,
        branch: this.a.branch,
        'integration-branch': this.a.integration,
        'working-directory': this.a.dir,
        'base-commit': base,
        'commit-sha': sha,
        summary,
        scope: this.a.scope,
        'files-changed': changed.map((c) => `- ${c.path} (${c.kind})`).join('\n') || '- none',
        'verification-results': verification.map((l) => `- ${l}`).join('\n') || '- not run',
        'open-issues': openIssues,
        'report-path': this.a.reportPath,
        'notes-path': this.a.notesPath,
      },
      // Anything else the report asks (peers contacted, decisions for the leader) had nothing to say.
      { free: () => none, choose: (options) => options.find((o) => /^(yes|pass|true)/.test(o)) ?? options[0]! },
      null,
    );
    await this.ctx.ws.writeFile(this.dir(), this.a.reportPath, `${text}\n`);
  }

  /**
   * The completion signal in the skill's words: its keyword, the report path and the commit;
   * a skill that names no keyword defines completion by the path and the commit alone.
   */
  complete(sha: string): Promise<boolean> {
    const kw = this.profile.completionSignal;
    return this.sendLeader(kw.rule === 'default' ? `Report ${this.a.reportPath}, commit ${sha}` : `${kw.value} ${this.a.reportPath} ${sha}`);
  }

  blocked(reason: string): Promise<boolean> {
    const kw = this.profile.blockedSignal;
    return this.sendLeader(kw.rule === 'default' ? `Blocked: ${reason}` : `${kw.value} ${reason}`);
  }

  /** Verify, commit and write the report file; the commit. (Signalling is the caller's.) */
  async commitAndReport(summary: string): Promise<string> {
    const v = await this.verify();
    const sha = await this.commit(`${this.a.role}: ${this.a.scope.split('\n')[0]}`);
    await this.writeReport(sha, summary, v.lines);
    return sha;
  }

  /** The honest end of a task: verify, commit, report, signal. */
  async finish(summary: string): Promise<string> {
    const sha = await this.commitAndReport(summary);
    this.ctx.say(`Done: ${sha.slice(0, 12)}; report at ${this.a.reportPath}.`);
    await this.complete(sha);
    return sha;
  }

  /** Take back a line this worker added to `path` (a rework of an out-of-scope edit). */
  async removeLine(path: string, line: string, dir = this.dir()): Promise<void> {
    const now = await this.ctx.ws.readFile(dir, path);
    if (now === null) return;
    const kept = now.split('\n').filter((l) => l !== line);
    if (kept.join('').trim() === '') await this.ctx.ws.removeFile(dir, path);
    else await this.ctx.ws.writeFile(dir, path, kept.join('\n'));
  }
}
