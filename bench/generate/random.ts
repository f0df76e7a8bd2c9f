/**
 * Deterministic randomness for the data generator: nothing here reads Math.random or the clock. A stream is named by
 * (seed, kind, index), so any pass over the data can recompute the choices made for, say, user 123 456 (its id, its
 * organisations) without keeping a million of them in memory, and a dataset is the same on every machine.
 *
 * The generator is sfc32 (a 128-bit-state "small fast counting" generator): distinct starting states are distinct
 * streams, which a 32-bit generator seeded per entity could not promise across millions of entities.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform integer in [min, max] (both included). */
  between(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** An unsigned 32-bit integer. */
  uint32(): number;
}

function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
}

/** A 32-bit mix (a multiply-xorshift finaliser): spreads the bits of small integers such as seeds and indexes. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A stable 32-bit number for a stream's name ("users", "memberships"). */
export function nameHash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The stream for (seed, kind, index). Each part goes into its own word of the state, so different triples never share
 * a starting state; a few discarded outputs let the words mix before the first value is used.
 */
export function rngFor(seed: number, kind: string, index = 0): Rng {
  const raw = sfc32(mix32(seed), nameHash(kind), mix32(index ^ 0x9e3779b9), index);
  for (let i = 0; i < 12; i++) raw();
  const next = (): number => raw() / 4294967296;
  return {
    next,
    uint32: raw,
    int: (n) => Math.floor(next() * n),
    between: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[Math.floor(next() * items.length)] as T;
    },
  };
}

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, "0");

/**
 * A version-4-shaped UUID whose first 60 bits come from `rng` (so ids are scattered over the index like
 * gen_random_uuid()'s) and whose last 60 bits spell `kindCode` (8 bits) and `index` (52 bits), so two generated ids never collide.
 */
export function generatedUuid(rng: Rng, kindCode: number, index: number): string {
  if (!Number.isSafeInteger(index) || index < 0 || index >= 2 ** 52) throw new Error(`cannot make a uuid for index ${index}`);
  const a = hex8(rng.uint32());
  const b = hex8(rng.uint32());
  const kind = (kindCode & 0xff).toString(16).padStart(2, "0");
  const tail = index.toString(16).padStart(13, "0");
  // xxxxxxxx-xxxx-4xxx-8kkI-IIIIIIIIIIII: random, the version nibble 4, the variant nibble 8, kind (2 hex), index (13 hex).
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-8${kind}${tail.slice(0, 1)}-${tail.slice(1)}`;
}
