const hooks: Array<() => Promise<void>> = [];

/**
 * Registers work that must finish before the process exits on a graceful shutdown, after the service has stopped:
 * e.g. sending the trace spans still buffered. Services exit with `process.exit`, which would drop them.
 */
export function onShutdown(hook: () => Promise<void>): void {
  hooks.push(hook);
}

/** Runs every shutdown hook, giving them together at most `timeoutMs`; a hook's failure does not stop the others. */
export async function runShutdownHooks(timeoutMs = 2_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  await Promise.race([Promise.allSettled(hooks.map((hook) => hook())), deadline]);
  clearTimeout(timer);
}
