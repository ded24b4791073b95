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
        const cmd = `# ${e.op} ${[...(e.paths ?? []), e.ref ?? ''].join(' ')}`.trim();
        f.push({
          timestamp: ts,
          type: 'response_item',
          payload: { type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd, workdir: e.dir }), call_id: id },
        });
        f.push({
          timestamp: ts,
          type: 'response_item',
          payload: { type: 'function_call_output', call_id: id, output: `Process exited with code ${e.ok ? 0 : 1}\nOutput:\n` },
        });
        break;
      }
      default:
        break;
    }
  }
  return files;
}

/** The text of a rollout file. */
export const rolloutText = (lines: Line[]) => `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
