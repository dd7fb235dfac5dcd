/**
 * What `work` resolves to, or undefined when `ms` pass first (a rejection of `work` before then
 * rejects). The timer is cleared either way and never keeps the process alive; `work` itself goes
 * on, so a caller that may stop waiting for it handles its rejection.
 */
export const within = async <T>(work: Promise<T>, ms: number): Promise<T | undefined> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
};
