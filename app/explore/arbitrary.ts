import fc from 'fast-check';
import { BEHAVIOURS, type BehaviourName } from '../../sim/workers/behaviours.ts';
import type { ScenarioInput } from '../../sim/scenario/schema.ts';
import type { Flaw } from '../../src/core/flaws.ts';

// Generated scenarios over the webapp fixture. Swarm testing: each run switches whole fault
// families on or off, so that runs with few kinds of trouble (where rare interactions show)
// are as common as runs with everything at once.

/** Areas the fixture repository can be split into, files disjoint. */
const AREAS = [
  { role: 'api', scope: 'Add the billing settings endpoint', owns: ['src/api/billing.ts'] },
  { role: 'ui', scope: 'Build the billing settings page', owns: ['src/ui/settings-page.tsx'] },
  { role: 'db', scope: 'Add the billing migration and seed data', owns: ['db/migrations.sql', 'db/seed.sql'] },
  { role: 'nav', scope: 'Add the billing entry to the navigation', owns: ['src/ui/nav.tsx'] },
  { role: 'docs', scope: 'Document billing settings', owns: ['docs/billing.md'] },
] as const;

export const FAMILIES = ['messages', 'threads', 'tools', 'workspace', 'context', 'clock', 'user', 'world', 'paraphrase'] as const;
export type Family = (typeof FAMILIES)[number];

const minutes = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((m) => `${m}m`);
const role = (n: number) => fc.integer({ min: 0, max: n - 1 }).map((i) => AREAS[i]!.role);

/** Misbehaviours weigh as much as the honest worker: the explorer is there to meet them. */
const behaviour = (n: number) =>
  fc
    .oneof(
      { weight: 3, arbitrary: fc.constant<BehaviourName>('diligent') },
      { weight: 4, arbitrary: fc.constantFrom(...BEHAVIOURS.filter((b) => b !== 'diligent' && b !== 'peer-waiter')) },
      { weight: 1, arbitrary: fc.constant<BehaviourName>('peer-waiter') },
    )
    .chain((kind) =>
      fc.record(
        {
          kind: fc.constant(kind),
          workMinutes: fc.integer({ min: 3, max: 30 }),
          ...(kind === 'peer-waiter' ? { peer: role(n) } : {}),
          ...(kind === 'long-command' ? { commandMinutes: fc.integer({ min: 5, max: 40 }) } : {}),
          ...(kind === 'stalls-mid-task' || kind === 'silent-drop' ? { afterMinutes: fc.integer({ min: 0, max: 10 }) } : {}),
          ...(kind === 'conflict-maker' || kind === 'scope-creep' ? { file: fc.constantFrom('src/api/server.ts', 'README.md') } : {}),
        },
        { requiredKeys: ['kind'] },
      ),
    );

function faultsFor(family: Family, n: number) {
  const any = (arb: fc.Arbitrary<Record<string, unknown>>) => fc.array(arb, { minLength: 1, maxLength: 2 });
  const msg = (kind: string, extra: Record<string, fc.Arbitrary<unknown>> = {}) =>
    fc.record(
      {
        kind: fc.constant(kind),
        from: fc.option(fc.oneof(fc.constant('leader'), role(n)), { nil: undefined }),
        to: fc.option(fc.oneof(fc.constant('leader'), role(n)), { nil: undefined }),
        after: fc.option(minutes(0, 30), { nil: undefined }),
        count: fc.integer({ min: 1, max: 3 }),
        ...extra,
      },
      { requiredKeys: ['kind', 'count', ...Object.keys(extra)] as never },
    );
  switch (family) {
    case 'messages':
      return any(fc.oneof(msg('drop-message'), msg('delay-message', { by: minutes(1, 10) }), msg('duplicate-message'), msg('reorder-messages')));
    case 'threads':
      return any(fc.record({ kind: fc.constant('system-error'), at: minutes(1, 40), target: role(n) }));
    case 'tools':
      return any(
        fc.record({
          kind: fc.constant('tool-failure'),
          tool: fc.constantFrom(
            'send_message_to_thread',
            'wait_threads',
            'read_thread',
            'list_threads',
            'create_thread',
            'automation_update',
            'set_thread_archived',
          ),
          after: minutes(0, 30),
          count: fc.integer({ min: 1, max: 2 }),
        }),
      );
    case 'workspace':
      return any(fc.record({ kind: fc.constantFrom('remove-worktree', 'move-branch'), at: minutes(1, 40), target: role(n) }));
    case 'context':
      return any(
        fc.oneof(
          fc.record({ kind: fc.constant('context-loss'), turn: fc.integer({ min: 1, max: 40 }) }),
          fc.record({ kind: fc.constant('context-loss'), at: minutes(1, 60) }),
        ),
      );
    case 'clock':
      return any(fc.record({ kind: fc.constant('clock-jump'), at: minutes(1, 40), by: minutes(1, 60) }));
    case 'paraphrase':
      // Models rewording what they send and write: everything, or some of it, for a while.
      return any(
        fc.record(
          {
            kind: fc.constant('paraphrase'),
            on: fc.constantFrom('messages', 'files', 'all'),
            from: fc.option(fc.oneof(fc.constant('leader'), role(n)), { nil: undefined }),
            after: fc.option(minutes(0, 30), { nil: undefined }),
            count: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
          },
          { requiredKeys: ['kind', 'on'] },
        ),
      );
    default:
      return fc.constant([]);
  }
}

export interface GenOptions {
  flaws?: readonly Flaw[];
}

/** A whole scenario, as the YAML a person would write (durations as strings). */
export function scenarioArbitrary(opts: GenOptions = {}): fc.Arbitrary<ScenarioInput> {
  return fc
    .record({
      n: fc.integer({ min: 3, max: AREAS.length }),
      on: fc.record(Object.fromEntries(FAMILIES.map((f) => [f, fc.boolean()])) as Record<Family, fc.Arbitrary<boolean>>),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    })
    .chain(({ n, on, seed }) =>
      fc.record({
        n: fc.constant(n),
        on: fc.constant(on),
        seed: fc.constant(seed),
        // Both ways a host can hand a busy thread a message, in every family mix.
        delivery: fc.constantFrom('next-turn' as const, 'steer' as const),
        workers: fc.array(fc.array(behaviour(n), { minLength: 1, maxLength: 2 }), { minLength: n, maxLength: n }),
        faults: fc.tuple(...FAMILIES.map((f) => (on[f] ? faultsFor(f, n) : fc.constant([])))).map((lists) => lists.flat()),
        user: on.user
          ? fc.record(
              { status: fc.array(minutes(1, 60), { maxLength: 2 }), cancel: fc.option(minutes(2, 60), { nil: undefined }) },
              { requiredKeys: ['status'] },
            )
          : fc.constant<{ status: string[]; cancel?: string }>({ status: [] }),
        world: on.world
          ? fc.record(
              {
                pendingWorktree: fc.option(
                  fc.integer({ min: 5, max: 60 }).map((s) => `${s}s`),
                  { nil: undefined },
                ),
                latency: fc.integer({ min: 1, max: 30 }).map((s) => `${s}s`),
              },
              { requiredKeys: [] },
            )
          : fc.constant({}),
      }),
    )
    .map((g): ScenarioInput => {
      const areas = AREAS.slice(0, g.n).map((a) => ({ role: a.role, scope: a.scope, owns: [...a.owns] }));
      const workers = Object.fromEntries(areas.map((a, i) => [a.role, g.workers[i]!.length === 1 ? g.workers[i]![0]! : g.workers[i]!]));
      const families = FAMILIES.filter((f) => g.on[f]);
      const user: { status: string[]; cancel?: string } = g.user;
      return {
        name: `explored-${g.seed}`,
        description: `Generated by explore; fault families on: ${families.join(', ') || 'none'}.`,
        seed: g.seed,
        repo: { fixture: 'webapp' },
        task: {
          prompt: 'Use $thread-team to implement billing settings across the areas below.',
          shared: ['src/api/server.ts', 'README.md'],
          areas,
        },
        workers: workers as ScenarioInput['workers'],
        user: stripUndefined(user) as ScenarioInput['user'],
        world: { ...stripUndefined(g.world), delivery: g.delivery } as ScenarioInput['world'],
        faults: g.faults.map((f) => stripUndefined(f)) as ScenarioInput['faults'],
        ...(opts.flaws?.length ? { leader: { driver: 'reference' as const, flaws: [...opts.flaws] } } : {}),
        expect: {},
      } as ScenarioInput;
    });
}

function stripUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
