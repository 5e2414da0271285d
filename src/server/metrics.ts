// Prometheus text exposition, hand-rolled: request counts and latency histogram by route,
// translations and cache hits, jobs by state (read from the queue at scrape time).
import { JOB_STATUSES, type JobRecord } from '../shared/jobs.js';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  translations = 0;
  cacheHits = 0;

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `method="${label(method)}",route="${label(route)}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const hkey = `method="${label(method)}",route="${label(route)}"`;
    let h = this.latency.get(hkey);
    if (!h) this.latency.set(hkey, (h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) h.counts[i]!++;
    });
    h.sum += seconds;
    h.count++;
  }

  observeTranslations(results: { cached: boolean }[]): void {
    this.translations += results.length;
    this.cacheHits += results.filter((r) => r.cached).length;
  }

  render(jobs: JobRecord[]): string {
    const lines: string[] = [];
    lines.push('# HELP parla_http_requests_total HTTP requests by route and status.', '# TYPE parla_http_requests_total counter');
    for (const [k, v] of this.requests) lines.push(`parla_http_requests_total{${k}} ${v}`);
    lines.push('# HELP parla_http_request_duration_seconds HTTP request latency.', '# TYPE parla_http_request_duration_seconds histogram');
    for (const [k, h] of this.latency) {
      BUCKETS.forEach((b, i) => lines.push(`parla_http_request_duration_seconds_bucket{${k},le="${b}"} ${h.counts[i]}`));
      lines.push(`parla_http_request_duration_seconds_bucket{${k},le="+Inf"} ${h.count}`);
      lines.push(`parla_http_request_duration_seconds_sum{${k}} ${h.sum}`, `parla_http_request_duration_seconds_count{${k}} ${h.count}`);
    }
    lines.push('# HELP parla_translations_total Texts translated through the API.', '# TYPE parla_translations_total counter', `parla_translations_total ${this.translations}`);
    lines.push('# HELP parla_cache_hits_total Translations answered from the cache.', '# TYPE parla_cache_hits_total counter', `parla_cache_hits_total ${this.cacheHits}`);
    lines.push('# HELP parla_jobs Jobs by state.', '# TYPE parla_jobs gauge');
    for (const state of JOB_STATUSES) lines.push(`parla_jobs{state="${state}"} ${jobs.filter((j) => j.status === state).length}`);
    return lines.join('\n') + '\n';
  }
}
