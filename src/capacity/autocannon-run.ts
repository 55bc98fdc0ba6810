import autocannon from "autocannon";

/**
 * One autocannon run with `options`, stopped early when `signal` aborts: its result and its wall
 * time, ms (from just before autocannon starts to its result). The abort listener goes when the
 * run ends.
 */
export async function runAutocannon(
  options: autocannon.Options,
  signal: AbortSignal,
): Promise<{ result: autocannon.Result; runMs: number }> {
  const startMs = performance.now();
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
  const stop = () => instance?.stop();
  signal.addEventListener("abort", stop, { once: true });
  try {
    const result = await finished;
    return { result, runMs: performance.now() - startMs };
  } finally {
    signal.removeEventListener("abort", stop);
  }
}
