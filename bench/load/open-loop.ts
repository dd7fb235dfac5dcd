/**
 * An open loop: `perSecond` sends on a fixed schedule that does not wait for answers, for
 * `warmSeconds` untimed and then `seconds` timed. Each send is given the moment it was due (so a
 * slow answer cannot hide the sends queued behind it) and whether it falls in the timed part.
 * Resolves once every send has been answered.
 */
export const openLoop = async (
  schedule: { readonly perSecond: number; readonly seconds: number; readonly warmSeconds?: number },
  sendOne: (scheduled: number, timed: boolean) => Promise<void>,
): Promise<void> => {
  const pending = new Set<Promise<void>>();
  const start = performance.now();
  const timedFrom = start + (schedule.warmSeconds ?? 0) * 1000;
  const end = timedFrom + schedule.seconds * 1000;
  const interval = 1000 / schedule.perSecond;
  let sent = 0;
  while (performance.now() < end) {
    // Send every request whose time has come.
    const now = performance.now();
    while (start + sent * interval <= now) {
      const scheduled = start + sent * interval;
      sent++;
      const done = sendOne(scheduled, scheduled >= timedFrom);
      pending.add(done);
      void done.finally(() => pending.delete(done));
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + sent * interval - performance.now())));
  }
  await Promise.all(pending);
};
