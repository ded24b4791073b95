// How a host hands a thread its inputs, as Codex's own thread tools and the desktop's scheduler
// do: a thread's message is not user text but a tool output carrying the delegation envelope
// (recorded by the receiving thread as a `function_call_output` with no call id); a heartbeat
// is a turn started with the heartbeat trigger; the person's words are user text.

import type { TurnInput } from '../ports/agent.ts';
import type { TurnStartParams } from './app-server-protocol.ts';

export const HEARTBEAT_TRIGGER = 'automation_heartbeat_scheduled';

/** The `turn/start` (less its thread id) that delivers one input. */
export function turnStartFor(input: TurnInput, namespace = 'codex_app'): Omit<TurnStartParams, 'threadId'> {
  switch (input.cause) {
    case 'delegation':
      return { input: [], toolOutput: { name: input.via ?? 'send_message_to_thread', namespace, output: input.text, retain: false } };
    case 'heartbeat':
      return { input: [{ type: 'text', text: input.text, text_elements: [] }], turnTrigger: HEARTBEAT_TRIGGER };
    default:
      return { input: [{ type: 'text', text: input.text, text_elements: [] }] };
  }
}
