// `window.parla`: what the Electron preload exposes to the renderer through contextBridge.
// Generic over ParlaApi (one `invoke` for every method) so nothing here is written twice.
import type { ApiArgs, ApiMethod, ApiResult } from './api.js';
import type { CommandId } from './commands.js';
import type { ParlaEvent } from './events.js';
import type { IpcReply } from './ipc.js';

export interface ParlaBridge {
  invoke<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<IpcReply<ApiResult<M>>>;
  onEvent(listener: (event: ParlaEvent) => void): () => void;
  /** Menu and accelerator clicks from the main process. */
  onCommand(listener: (id: CommandId) => void): () => void;
  platform: string;
}
