// A transport carries ParlaApi calls and events; the client on top is the same for both.
import type { ApiArgs, ApiMethod, ApiResult, ParlaApi } from '../../shared/api.js';
import { API_METHODS } from '../../shared/ipc.js';

export interface Transport {
  call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<M>>;
  subscribe: ParlaApi['subscribe'];
}

/** A full ParlaApi over any transport: one forwarding function per contract method. */
export function createClient(transport: Transport): ParlaApi {
  const client: Record<string, unknown> = { subscribe: transport.subscribe };
  for (const method of API_METHODS) {
    client[method] = (...args: unknown[]) => transport.call(method, args as ApiArgs<typeof method>);
  }
  return client as unknown as ParlaApi;
}
