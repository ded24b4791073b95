import { delegationEnvelope } from '../../src/contract/envelopes.ts';
import { TUI_WAIT_TIMEOUT_MS, tuiRefusal } from '../../src/contract/hosts.ts';
import type { CallResult } from '../../src/ports/agent.ts';
import { handleTool } from './tools.ts';
import type { World } from './world.ts';

// The terminal UI's thread tools (host `tui`): each call is first refused exactly as Codex's
// own implementation refuses it (src/contract/hosts.ts), then answered by the desktop tools'
// handlers where the two agree, with the terminal UI's defaults filled in. Its create_thread
// has no target: the new thread works in the caller's folder, with the caller's project and
// model, and no worktree is made.

const ok = (payload: unknown): CallResult => ({ ok: true, payload });
const fail = (error: string): CallResult => ({ ok: false, error });

export async function handleTuiTool(w: World, caller: string, tool: string, raw: unknown): Promise<CallResult> {
  const refused = tuiRefusal(caller, tool, raw, (prompt) => delegationEnvelope(caller, prompt));
  if (refused) return fail(refused);
  const a = raw as Record<string, unknown>;
  switch (tool) {
    case 'create_thread':
      return createThread(w, caller, a as { prompt: string; title?: string | null; model?: string | null });
    case 'list_archived_threads': {
      const threads = [...w.threads.values()].filter((t) => t.archived).sort((x, y) => y.updatedAt - x.updatedAt || x.id.localeCompare(y.id));
      const limit = (a.limit as number | undefined) ?? 10;
      return ok({
        threads: threads.slice(0, limit).map((t) => ({
          id: t.id,
          kind: 'codex',
          projectId: t.projectId,
          title: t.title,
          summary: t.preview.slice(0, 300),
          status: t.status,
          cwd: t.cwd,
          updatedAt: w.secs(t.updatedAt),
        })),
        nextCursor: null,
      });
    }
    case 'list_threads':
      return handleTool(w, caller, tool, a.limit == null ? {} : { limit: a.limit });
    case 'wait_threads':
      return handleTool(w, caller, tool, { ...a, timeoutMs: a.timeoutMs ?? TUI_WAIT_TIMEOUT_MS });
    case 'fork_thread':
    case 'set_thread_title':
      return handleTool(w, caller, tool, { ...a, threadId: a.threadId ?? caller });
    default:
      return handleTool(w, caller, tool, dropNulls(a));
  }
}

function createThread(w: World, caller: string, a: { prompt: string; title?: string | null; model?: string | null }): CallResult {
  const from = w.mustThread(caller);
  const t = w.addThread({
    cwd: from.cwd,
    projectId: from.projectId,
    title: a.title?.trim() ?? '',
    model: a.model ?? from.model,
    thinking: null,
    createdBy: caller,
  });
  w.trace.emit({ kind: 'thread.created', thread: t.id, by: caller, cwd: t.cwd, model: t.model, thinking: null, worktree: null });
  w.sendMessage(caller, t.id, a.prompt, 'create_thread');
  return ok({ threadId: t.id });
}

function dropNulls(a: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(a).filter(([, v]) => v !== null));
}
