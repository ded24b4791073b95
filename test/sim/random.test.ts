import { describe, expect, it } from 'vitest';
import { Rng } from '../../sim/random.ts';

const draw = (r: Rng, n: number) => Array.from({ length: n }, () => r.u32());

describe('Rng', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = draw(new Rng(42), 200);
    const b = draw(new Rng(42), 200);
    const c = draw(new Rng(43), 200);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    // Not a constant or a short cycle.
    expect(new Set(a).size).toBe(200);
  });

  it('fork gives independent streams: drawing from one does not shift another', () => {
    const root1 = new Rng(7);
    const root2 = new Rng(7);
    const a1 = root1.fork('worker:a');
    draw(a1, 500); // a lot of draws for worker a in run 1 only
    const b1 = root1.fork('worker:b');
    const b2 = root2.fork('worker:b');
    expect(draw(b1, 50)).toEqual(draw(b2, 50));
    // Forking does not consume the parent's stream either.
    expect(draw(root1, 20)).toEqual(draw(root2, 20));
    // Different labels, different streams; the same label on another seed, another stream.
    expect(draw(new Rng(7).fork('x'), 20)).not.toEqual(draw(new Rng(7).fork('y'), 20));
    expect(draw(new Rng(7).fork('x'), 20)).not.toEqual(draw(new Rng(8).fork('x'), 20));
  });

  it('int stays within its inclusive bounds and reaches both ends', () => {
    const r = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 5_000; i++) {
      const v = r.int(3, 7);
      expect(Number.isInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(7);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
    for (let i = 0; i < 100; i++) expect(r.int(5, 5)).toBe(5);
    const neg = new Set(Array.from({ length: 2_000 }, () => r.int(-2, 1)));
    expect([...neg].sort((x, y) => x - y)).toEqual([-2, -1, 0, 1]);
  });

  it('float is in [0, 1), chance and pick behave', () => {
    const r = new Rng(99);
    for (let i = 0; i < 2_000; i++) {
      const f = r.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
    }
    expect(Array.from({ length: 100 }, () => r.chance(0)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 100 }, () => r.chance(1)).every(Boolean)).toBe(true);
    const items = ['a', 'b', 'c'] as const;
    expect(new Set(Array.from({ length: 300 }, () => r.pick(items)))).toEqual(new Set(items));
    expect(() => r.pick([])).toThrow(/empty/);
  });

  it('uuid has the version-7 UUID shape and does not repeat', () => {
    const r = new Rng(5);
    const ids = Array.from({ length: 1_000 }, () => r.uuid());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Rng(5).uuid()).toBe(ids[0]);
  });
});
