// One call to get a real Codex app-server running offline: mock model server (with the
// given brain) + scratch CODEX_HOME pointing at it (with skills) + app-server client.
// close() tears all three down in the right order and never throws.

import { AppServer, type AppServerOptions } from './app-server.ts';
import { onTeardown } from '../core/teardown.ts';
import { makeCodexHome, type CodexHome, type CodexHomeOptions } from './codex-home.ts';
import { startModelServer, type Brain, type ModelServer } from './model-server.ts';

export interface OfflineCodexOptions extends Omit<AppServerOptions, 'cwd' | 'env'> {
  brain: Brain;
  skills?: CodexHomeOptions['skills'];
  extraToml?: string;
  /** Working directory of the app-server; default the home's empty work dir. */
  cwd?: string;
  /** Leave the scratch Codex home (its sessions/ rollouts) in place when closing. */
  keepHome?: boolean;
}

export interface OfflineCodex {
  model: ModelServer;
  home: CodexHome;
  app: AppServer;
  /** Milliseconds from spawn to a finished initialize handshake. */
  startMs: number;
  close(): Promise<void>;
}

export async function startOfflineCodex(options: OfflineCodexOptions): Promise<OfflineCodex> {
  const { brain, skills, extraToml, cwd, keepHome, ...appOptions } = options;
  const model = await startModelServer({ brain });
  let home: CodexHome | undefined;
  try {
    home = await makeCodexHome({ modelBaseUrl: model.baseUrl, skills, extraToml });
    const t0 = performance.now();
    const app = await AppServer.start({ ...appOptions, cwd: cwd ?? home.workDir, env: home.env });
    const startMs = performance.now() - t0;
    const h = home;
    const close = async () => {
      await app.close().catch(() => undefined);
      await model.close().catch(() => undefined);
      if (keepHome) h.keep();
      else await h.cleanup().catch(() => undefined);
    };
    // An interrupt takes the Codex process (and everything it spawned) and its home down too.
    const unregister = onTeardown(`codex app-server and its home ${h.root}`, close);
    return {
      model,
      home: h,
      app,
      startMs,
      close: async () => {
        await close();
        unregister();
      },
    };
  } catch (err) {
    await model.close().catch(() => undefined);
    await home?.cleanup().catch(() => undefined);
    throw err;
  }
}
