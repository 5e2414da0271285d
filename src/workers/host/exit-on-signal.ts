// How the host answers SIGTERM: a graceful shutdown when it can finish at once, else the
// default action of the signal within `graceMs`. onnxruntime loads a model synchronously on
// the calling thread (a lane's worker thread here), and the graceful path waits for a load in
// flight; process.exit would wait too, as it joins worker threads. So past the grace period the
// host drops its handler and sends itself SIGTERM again, which the kernel carries out at once.
export const SIGTERM_GRACE_MS = 250;

export function exitOnSigterm(shutdown: () => Promise<void>, graceMs = SIGTERM_GRACE_MS): void {
  process.once('SIGTERM', () => {
    setTimeout(() => {
      process.removeAllListeners('SIGTERM');
      process.kill(process.pid, 'SIGTERM');
    }, graceMs).unref();
    void shutdown();
  });
}
