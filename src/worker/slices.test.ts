import { nextTask, runInSlices, SliceCancelledError } from './slices';

function* counting(steps: number, log: string[]): Generator<void, number> {
  try {
    for (let i = 0; i < steps; i++) {
      log.push(`step ${i}`);
      yield;
    }
    return steps;
  } finally {
    log.push('closed');
  }
}

describe('runInSlices', () => {
  it('runs the steps to the end, pausing when a slice has used its time', async () => {
    const log: string[] = [];
    let pauses = 0;
    // A slice of no time: the page gets its turn after every step.
    const result = await runInSlices(counting(5, log), {
      sliceMs: 0,
      pause: () => {
        pauses++;
        log.push('pause');
        return Promise.resolve();
      },
    });
    expect(result).toBe(5);
    expect(pauses).toBe(5);
    expect(log.slice(0, 4)).toEqual(['step 0', 'pause', 'step 1', 'pause']);
    expect(log[log.length - 1]).toBe('closed');
  });

  it('runs quick work without pausing', async () => {
    const log: string[] = [];
    const pause = jest.fn(() => Promise.resolve());
    expect(await runInSlices(counting(3, log), { sliceMs: 60_000, pause })).toBe(3);
    expect(pause).not.toHaveBeenCalled();
  });

  it('stops at the next pause once cancelled, and closes the steps', async () => {
    const log: string[] = [];
    const controller = new AbortController();
    const run = runInSlices(counting(100, log), {
      sliceMs: 0,
      signal: controller.signal,
      pause: () => {
        controller.abort();
        return Promise.resolve();
      },
    });
    await expect(run).rejects.toBeInstanceOf(SliceCancelledError);
    expect(log).toEqual(['step 0', 'closed']);
  });

  it('waits for a task of its own', async () => {
    let later = false;
    setTimeout(() => (later = true), 50);
    await nextTask();
    expect(later).toBe(false);
  });
});
