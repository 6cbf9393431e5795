// The seeded generator of the plain-Node scripts under test/ (the bench, the fixture server),
// which cannot import TypeScript: the same mulberry32 as the engine's Random
// (src/core/stats/random.ts), which test/unit/mulberry32.test.ts checks it against.

/** Uniform numbers in [0, 1), the same sequence for the same seed. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
