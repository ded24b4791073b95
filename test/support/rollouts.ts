// Rollout files made from a trace, in the line format Codex 0.163 writes (its reference, §4:
// session_meta, task_started / task_complete, response_item messages, function calls and their
// outputs, item_completed for dynamic tools): what the desktop app would have left on disk had
// it run the simulated run. Each thread's file is written as the real one is, with its own id,
// its working directory and git state, and its acts in order; workspace acts become the
// commands that did them.

import type { TraceEvent } from '../../src/trace/events.ts';

const EPOCH = Date.UTC(2026, 0, 5, 9, 0, 0);

type Line = { timestamp: string; type: string; payload: Record<string, unknown> };

/** One rollout file's lines per thread id (the leader's included), from a trace. */
export function rolloutsOf(events: readonly TraceEvent[], opts: { originator?: string; skill?: { name: string; path: string } } = {}): Map<string, Line[]> {
  const files = new Map<string, Line[]>();
  const at = (t: number) => new Date(EPOCH + t).toISOString();
  const start = events[0]?.kind === 'run.start' ? events[0] : null;
  const cwd = new Map<string, string>();
  const git = new Map<string, { branch: string; commit_hash: string }>();
  if (start) cwd.set(start.leader, start.repo);
  for (const e of events)
    if (e.kind === 'thread.created') {
      cwd.set(e.thread, e.cwd);
      if (e.worktree) git.set(e.thread, { branch: e.worktree.branch, commit_hash: e.worktree.base });
    }
  const lines = (thread: string, t: number): Line[] => {
    let f = files.get(thread);
    if (!f) {
      f = [
        {
          timestamp: at(t),
          type: 'session_meta',
          payload: {
            id: thread,
            timestamp: at(t),
            cwd: cwd.get(thread) ?? '/',
            originator: opts.originator ?? 'Codex Desktop',
            cli_version: '0.163.0',
            ...(git.has(thread) ? { git: git.get(thread) } : {}),
            dynamic_tools: start
              ? [
                  { type: 'namespace', name: 'codex_app', tools: start.tools.filter((x) => x !== 'automation_update').map((name) => ({ name })) },
                  { type: 'function', name: 'automation_update' },
                ]
              : [],
          },
        },
      ];
      files.set(thread, f);
    }
    return f;
  };
  let call = 0;
  let skillSaid = false;
  for (const e of events) {
    const ts = at(e.t);
    switch (e.kind) {
      case 'turn.start': {
        const f = lines(e.thread, e.t);
        const trigger = e.causes.length === 1 && e.causes[0] === 'heartbeat' ? 'automation_heartbeat_scheduled' : null;
        f.push({
          timestamp: ts,
          type: 'event_msg',
          payload: { type: 'task_started', turn_id: e.turn, turn_attribution: { turn_id: e.turn, turn_trigger: trigger } },
        });
        for (const text of e.inputs) {
          if (text.startsWith('<codex_delegation>'))
            f.push({
              timestamp: ts,
              type: 'response_item',
              payload: { type: 'function_call_output', name: 'send_message_to_thread', namespace: 'codex_app', output: text },
            });
          else f.push({ timestamp: ts, type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });
        }
        // Codex adds the skill the person named after their first words, as its own message.
        if (opts.skill && start && e.thread === start.leader && !skillSaid) {
          skillSaid = true;
          const text = `<skill>\n<name>${opts.skill.name}</name>\n<path>${opts.skill.path}</path>\n(SKILL.md)\n</skill>`;
          f.push({ timestamp: ts, type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });
        }
        break;
      }
      case 'turn.steer': {
        const f = lines(e.thread, e.t);
        for (const text of e.inputs)
          f.push({
            timestamp: ts,
            type: 'response_item',
            payload: { type: 'function_call_output', name: 'send_message_to_thread', namespace: 'codex_app', output: text },
          });
        break;
      }
      case 'turn.end':
        lines(e.thread, e.t).push({
          timestamp: ts,
          type: 'event_msg',
          payload: e.status === 'completed' ? { type: 'task_complete', turn_id: e.turn } : { type: 'turn_aborted', turn_id: e.turn, reason: e.status },
        });
        break;
      case 'assistant.message':
        lines(e.thread, e.t).push({
          timestamp: ts,
          type: 'response_item',
          payload: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: e.text }] },
        });
        break;
      case 'tool.call': {
        const f = lines(e.thread, e.t);
        const id = `call_${++call}`;
        const namespace = e.tool === 'automation_update' ? {} : { namespace: 'codex_app' };
        f.push({
          timestamp: ts,
          type: 'response_item',
          payload: { type: 'function_call', name: e.tool, ...namespace, arguments: JSON.stringify(e.args), call_id: id },
        });
        f.push({ timestamp: ts, type: 'event_msg', payload: { type: 'item_completed', item: { type: 'DynamicToolCall', id, tool: e.tool, success: e.ok } } });
        f.push({
          timestamp: ts,
          type: 'response_item',
          payload: { type: 'function_call_output', call_id: id, output: e.ok ? JSON.stringify(e.result) : String(e.result) },
        });
        break;
      }
      case 'ws': {
        // A workspace act is a command the thread ran (setup acts are nobody's).
        if (e.actor === 'setup' || !cwd.has(e.actor)) break;
        const f = lines(e.actor, e.t);
        const id = `call_${++call}`;
        const { cmd, said } = commandOf(e, cwd.get(e.actor) ?? '/');
        f.push({
          timestamp: ts,
          type: 'response_item',
          payload: { type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd, workdir: cwd.get(e.actor) }), call_id: id },
        });
        const code = e.op === 'run' ? Number(/-> exit (\d+)$/.exec(e.detail ?? '')?.[1] ?? 0) : e.ok ? 0 : 1;
        f.push({
          timestamp: ts,
          type: 'response_item',
          payload: {
            type: 'function_call_output',
            call_id: id,
            output: `Chunk ID: ${id}\nWall time: 0.1 seconds\nProcess exited with code ${code}\nOutput:\n${said}`,
          },
        });
        break;
      }
      default:
        break;
    }
  }
  return files;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The command a model at the keyboard would have typed for a workspace act, run from its own
 * folder, and what git would have said: plain git, a heredoc for a journal write, `cat` for a read.
 */
function commandOf(e: Extract<TraceEvent, { kind: 'ws' }>, home: string): { cmd: string; said: string } {
  const at = e.dir && e.dir !== home ? `cd ${q(e.dir)} && ` : '';
  const path = e.paths?.[0] ?? '';
  switch (e.op) {
    case 'merge':
      return {
        cmd: `${at}git merge --no-ff --no-edit ${q(e.ref ?? '')}`,
        said:
          e.detail === 'conflict'
            ? `Auto-merging ${e.paths?.[0] ?? 'x'}\nCONFLICT (content): Merge conflict in ${e.paths?.[0] ?? 'x'}\nAutomatic merge failed; fix conflicts and then commit the result.\n`
            : e.detail === 'up-to-date'
              ? 'Already up to date.\n'
              : "Merge made by the 'ort' strategy.\n",
      };
    case 'commitMerge':
      return { cmd: `${at}git add -A && git commit --no-edit`, said: '' };
    case 'abortMerge':
      return { cmd: `${at}git merge --abort`, said: '' };
    case 'commitAll':
      return { cmd: `${at}git add -A && git commit -m ${q(e.detail ?? 'work')}`, said: '' };
    case 'worktreeAdd':
      return { cmd: `git worktree add -b ${q(e.ref ?? '')} ${q(e.dir)} ${e.detail?.replace(/^base /, '') ?? ''}`.trim(), said: '' };
    case 'worktreeRemove':
      return { cmd: `git worktree remove ${e.detail === 'force' ? '--force ' : ''}${q(e.dir)}`, said: '' };
    case 'writeFile':
      return e.content !== undefined
        ? {
            cmd: `${at}mkdir -p ${q(path.split('/').slice(0, -1).join('/') || '.')} && cat > ${q(path)} <<'EOF'\n${e.content.replace(/\n$/, '')}\nEOF`,
            said: '',
          }
        : { cmd: `${at}printf '%s' '...' > ${q(path)}`, said: '' };
    case 'readFile':
      return { cmd: `${at}cat ${q(path)}`, said: '' };
    case 'removeFile':
      return { cmd: `${at}rm -- ${q(path)}`, said: '' };
    case 'changedFiles':
      return { cmd: `git diff --stat ${e.ref ?? ''}`.trim(), said: '' };
    case 'run':
      return { cmd: `${at}${(e.detail ?? '').replace(/ -> exit \d+$/, '')}`, said: '' };
    case 'addExclude':
      return { cmd: `${at}printf '%s\\n' ${q(e.detail ?? '')} >> .git/info/exclude`, said: '' };
    case 'deleteBranch':
      return { cmd: `git branch -D ${q(e.ref ?? '')}`, said: '' };
    case 'setBranch':
      return { cmd: `git branch -f ${q(e.ref ?? '')} ${e.sha ?? ''}`.trim(), said: '' };
    case 'discardChanges':
      return { cmd: `${at}git reset --hard`, said: '' };
    default:
      return { cmd: `${at}git ${e.op}`, said: '' };
  }
}

/** The text of a rollout file. */
export const rolloutText = (lines: Line[]) => `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
