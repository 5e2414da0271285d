// IPC transport: `window.parla` from the Electron preload. Errors come back as data so their
// stable code survives the process boundary.
import type { ApiArgs, ApiMethod, ApiResult } from '../../shared/api.js';
import type { ParlaBridge } from '../../shared/bridge.js';
import { ParlaError, isErrorCode } from '../../shared/errors.js';
import { matchesFilter } from '../../shared/events.js';
import type { Transport } from './transport.js';

export function ipcTransport(bridge: ParlaBridge): Transport {
  return {
    async call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<M>> {
      const reply = await bridge.invoke(method, args);
      if (reply.ok) return reply.value as ApiResult<M>;
      throw new ParlaError(isErrorCode(reply.error.code) ? reply.error.code : 'INTERNAL', reply.error.message);
    },
    subscribe(listener, filter) {
      return bridge.onEvent((event) => {
        if (matchesFilter(event, filter)) listener(event);
      });
    },
  };
}
