// A throw-away CODEX_HOME for running the real Codex offline:
// config.toml points Codex at a local Responses-API server, and skills are copied in under
// skills/<name>/ where Codex discovers them. HOME is a scratch directory too, so
// nothing of the user's own setup (~/.codex, ~/.agents/skills, git config) leaks in.

import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import { onTeardown, removeTree } from '../core/teardown.ts';
import * as path from 'node:path';

export interface CodexHomeOptions {
  /** Provider base URL, e.g. `http://127.0.0.1:PORT/v1` (ModelServer.baseUrl). */
  modelBaseUrl: string;
  /** Model name sent in requests. Default `mock-model`. */
  model?: string;
  /** Skills to install: name -> directory holding SKILL.md (copied whole). */
  skills?: Record<string, string>;
  /** Parent of the scratch root; default the OS temp dir. */
  parentDir?: string;
  /** Extra TOML appended to config.toml verbatim (top-level keys must come before tables). */
  extraToml?: string;
  /** Variables added to the spawn environment (after the defaults). */
  env?: Record<string, string>;
}

export interface CodexHome {
  /** Scratch root holding everything below; removed by cleanup(). */
  root: string;
  /** The CODEX_HOME directory. */
  home: string;
  configPath: string;
  /** A scratch working directory for threads (empty). */
  workDir: string;
  /** name -> installed skill directory. */
  skillDirs: Record<string, string>;
  /** The environment to spawn codex with (not inheriting process.env beyond PATH). */
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
  /** Leave the scratch root on disk at teardown (for --keep); cleanup() still removes it. */
  keep(): void;
}

export const MOCK_PROVIDER_ENV_KEY = 'MOCK_API_KEY';

/** A TOML basic string; JSON string escapes are valid TOML escapes. */
function tomlString(value: string): string {
  return JSON.stringify(value);
}

export function configToml(opts: { modelBaseUrl: string; model?: string; extraToml?: string }): string {
  return [
    `model = ${tomlString(opts.model ?? 'mock-model')}`,
    `model_provider = "mock"`,
    // No update checks, no analytics: nothing should try to leave the machine.
    `check_for_update_on_startup = false`,
    opts.extraToml?.trim() ?? '',
    '',
    `[analytics]`,
    `enabled = false`,
    '',
    // Plugin and app sync reach out to chatgpt.com and github.com at startup: an offline
    // harness must not even try.
    `[features]`,
    `plugins = false`,
    `remote_plugin = false`,
    `apps = false`,
    '',
    `[model_providers.mock]`,
    `name = "Mock"`,
    `base_url = ${tomlString(opts.modelBaseUrl)}`,
    `env_key = ${tomlString(MOCK_PROVIDER_ENV_KEY)}`,
    // The only wire protocol Codex accepts now.
    `wire_api = "responses"`,
    // A mock that fails should fail the turn at once, not be retried with backoff.
    `request_max_retries = 0`,
    `stream_max_retries = 0`,
    '',
  ].join('\n');
}

export async function makeCodexHome(opts: CodexHomeOptions): Promise<CodexHome> {
  const root = await fsp.mkdtemp(path.join(opts.parentDir ?? os.tmpdir(), 'codex-live-'));
  // Gone on an interrupt from the moment it exists.
  const forget = onTeardown(`Codex home ${root}`, () => removeTree(root));
  const home = path.join(root, 'codex-home');
  const userHome = path.join(root, 'home');
  const workDir = path.join(root, 'work');
  await Promise.all([home, userHome, workDir].map((d) => fsp.mkdir(d, { recursive: true })));

  const configPath = path.join(home, 'config.toml');
  await fsp.writeFile(configPath, configToml(opts));

  const skillDirs: Record<string, string> = {};
  for (const [name, source] of Object.entries(opts.skills ?? {})) {
    const target = path.join(home, 'skills', name);
    await fsp.cp(source, target, { recursive: true });
    skillDirs[name] = target;
  }

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: userHome,
    CODEX_HOME: home,
    [MOCK_PROVIDER_ENV_KEY]: 'mock-key',
    LANG: 'C.UTF-8',
    // Codex's own logs go to stderr, which the client captures for error messages.
    RUST_LOG: process.env.RUST_LOG ?? 'warn',
    ...opts.env,
  };

  return {
    root,
    home,
    configPath,
    workDir,
    skillDirs,
    env,
    cleanup: async () => {
      await removeTree(root);
      forget();
    },
    keep: forget,
  };
}
