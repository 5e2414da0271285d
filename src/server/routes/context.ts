// What every route module receives from createServer.
import type { ParlaApi } from '../../shared/api.js';
import type { Metrics } from '../metrics.js';

export interface RouteContext {
  api: ParlaApi;
  metrics: Metrics;
  /** Rejects with RATE_LIMITED while too many heavy requests are in flight. */
  limit<T>(work: () => Promise<T>): Promise<T>;
}
