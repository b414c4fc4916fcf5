/**
 * Long work on the page's thread without freezing it: the work is a generator whose `yield`s are places
 * where it may stop; `runInSlices` runs it a few milliseconds at a time and lets the browser draw and
 * handle input in between.
 */

/** The longest the work runs before the page gets its turn. */
export const SLICE_MS = 12;

/**
 * The next turn of the event loop, without the 4 ms that browsers add to nested timeouts: a message on
 * a channel is a task of its own (setImmediate where it exists: Node, where the bench runs, may run
 * several channel messages in one turn); a timeout where there is neither.
 */
export function nextTask(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => void }).setImmediate;
  if (immediate) {
    return new Promise((resolve) => immediate(resolve));
  }
  if (typeof MessageChannel === 'undefined') {
    return new Promise((resolve) => setTimeout(resolve, 0));
  }
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}

export class SliceCancelledError extends Error {
  constructor() {
    super('Stopped.');
  }
}

/**
 * Runs `steps` to the end in slices of about `sliceMs`, pausing with `pause` between them, and returns
 * what it returns. Stops with SliceCancelledError (the generator is closed) once `signal` is aborted.
 */
export async function runInSlices<T>(
  steps: Generator<void, T>,
  options: { sliceMs?: number; signal?: AbortSignal; pause?: () => Promise<void> } = {}
): Promise<T> {
  const { sliceMs = SLICE_MS, signal, pause = nextTask } = options;
  try {
    for (;;) {
      if (signal?.aborted) {
        throw new SliceCancelledError();
      }
      const until = performance.now() + sliceMs;
      let step = steps.next();
      while (!step.done && performance.now() < until) {
        step = steps.next();
      }
      if (step.done) {
        return step.value;
      }
      await pause();
    }
  } finally {
    steps.return(undefined as T);
  }
}
