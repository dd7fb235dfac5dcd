/**
 * Waits `ms`, or less when woken: the pause puts its wake-up into `waiters` (calling it ends the
 * pause at once) and takes it out again when it ends, either way.
 */
export const wakeablePause = (ms: number, waiters: Set<() => void>): Promise<void> =>
  new Promise((resolve) => {
    const wake = (): void => {
      clearTimeout(timer);
      waiters.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    waiters.add(wake);
  });
