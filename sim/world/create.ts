// A World with its tool handlers and traced workspace: they read the World back, so they are
// joined to it here rather than imported by it.

import { handleTool } from './tools.ts';
import { handleTuiTool } from './tui-tools.ts';
import { tracedWorkspace } from './traced-workspace.ts';
import { World, type WorldOptions } from './world.ts';

export function createWorld(opts: WorldOptions): World {
  return new World(opts, { handleTool: opts.host === 'tui' ? handleTuiTool : handleTool, tracedWorkspace });
}
