/** Uniform numbers in [0, 1), the same sequence for the same seed (see mulberry32.mjs). */
export function mulberry32(seed: number): () => number;
