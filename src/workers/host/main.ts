// PLACEHOLDER so the desktop build links: the engine branch owns this file (the real model host)
// and replaces it at merge. It only answers the shutdown request the main process sends.
interface ParentPort {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
parentPort?.postMessage({ type: 'ready' });
parentPort?.on('message', ({ data }) => {
  if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'shutdown') process.exit(0);
});
