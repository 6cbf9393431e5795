/** Runs a generator of steps (work that yields between pieces, for a caller that slices it) to its end in one go: its result. */
export function allSteps<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
