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

/**
 * The one trust root a scratch Codex gets: a self-signed certificate whose key was thrown away
 * when it was made, so no server can prove itself with it. An empty file would not do: Codex
 * warns at every request that it found no certificate, and falls back to the system's roots.
 */
const NO_TRUST_ROOT = `-----BEGIN CERTIFICATE-----
MIIB2TCCAX+gAwIBAgIUCfB3082AjHz0gOS/hqfMUY+C5ZEwCgYIKoZIzj0EAwIw
QTE/MD0GA1UEAww2dGhyZWFkLXRlYW0tc2ltIG9mZmxpbmUgQ29kZXggKG5vIFRM
UyBwZWVyIGlzIHRydXN0ZWQpMCAXDTI2MTIwMjA0NDI1NFoYDzIxMjYxMTA4MDQ0
MjU0WjBBMT8wPQYDVQQDDDZ0aHJlYWQtdGVhbS1zaW0gb2ZmbGluZSBDb2RleCAo
bm8gVExTIHBlZXIgaXMgdHJ1c3RlZCkwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC
AAT6ZZyYWxDYoThb8wozgyDV39lXUh4AgORUQKl7IzuaFh6QWt/cqAlcs4+/U4tM
N8A3bZaTF74XpEMJriGbsqGYo1MwUTAdBgNVHQ4EFgQUoJ+KoCE30QkLgynE/eh+
BEQGMaUwHwYDVR0jBBgwFoAUoJ+KoCE30QkLgynE/eh+BEQGMaUwDwYDVR0TAQH/
BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiBmGpVXJtTvIfg3LO4coVSNCJDdFqpk
QigapRMRFC4DIAIhAP33LA7zlWj2MvPAWBJON1cx1uxDxMdFboet25qjbvQa
-----END CERTIFICATE-----
`;

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
  const trustRoots = path.join(root, 'no-trust-roots.pem');
  await fsp.writeFile(trustRoots, NO_TRUST_ROOT);

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
    // Codex 0.163 builds a new HTTP client for every model request, and each build reads and
    // parses the trust roots named here (else the system's whole bundle): half of the
    // app-server's processor time per request, measured (19 -> 9 ms). The only server it talks
    // to is our model server, over plain HTTP on loopback, so it needs no roots at all; and with
    // no usable one, nothing could reach a TLS server even by mistake.
    SSL_CERT_FILE: trustRoots,
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
