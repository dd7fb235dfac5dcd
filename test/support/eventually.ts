/**
 * Waits for a condition with a deadline: the condition is re-checked whenever the event loop has
 * run (setImmediate), never after a fixed sleep.
 */
export const eventually = async (
  condition: () => Promise<boolean> | boolean,
  options: { readonly timeoutMs?: number; readonly message?: string } = {},
): Promise<void> => {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${options.timeoutMs ?? 10_000} ms: ${options.message ?? ''}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
};
