/**
 * Work written as steps: a generator whose `yield`s are places where the page may pause (the worker's
 * src/worker/slices.ts runs such work a few milliseconds at a time). Where nothing needs to pause, it
 * runs to the end at once.
 */
export function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) {
      return step.value;
    }
  }
}
