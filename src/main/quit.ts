// What the app does on quit, in order: close the API (the jobs this process runs are paused, to
// be resumed later; its clients let go of the host), then stop the host, which finishes the calls
// in flight and exits. The host stops even when closing the API failed.
import type { ModelHostProcess } from './model-host.js';

export async function closeForQuit(api: { close(): Promise<void> } | undefined, host: Pick<ModelHostProcess, 'stop'>, warn: (line: string) => void): Promise<void> {
  try {
    await api?.close();
  } catch (error) {
    warn(`parla: closing failed: ${(error as Error).message}`);
  }
  await host.stop();
}
