// Job progress on stderr: a live bar on a terminal, plain lines (about one per second) otherwise,
// so logs of a CI run stay readable.
import type { JobEvent, JobRecord } from '../shared/jobs.js';
import type { CliOutput } from './registry.js';

const PLAIN_EVERY_MS = 1000;

function eta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m` : s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}

export function describeProgress(job: JobRecord): string {
  const p = job.progress;
  const pct = p.total > 0 ? Math.floor(((p.done + p.failed) / p.total) * 100) : 0;
  return `${pct}% ${p.done}/${p.total}${p.failed ? ` (${p.failed} failed)` : ''}${p.flagged ? ` · ${p.flagged} flagged for review` : ''} · ${p.rate.toFixed(1)}/s · ETA ${eta(p.etaSeconds)}${p.memory ? ` · memory ${p.memory}` : ''} · cached ${p.cached} · model ${p.modelCalls}`;
}

export function progressReporter(out: CliOutput): { onEvent(e: JobEvent): void; end(): void } {
  let last = 0;
  let drawn = false;
  if (out.isTTY) {
    return {
      onEvent(e) {
        const p = e.job.progress;
        const width = 24;
        const fill = p.total > 0 ? Math.round(((p.done + p.failed) / p.total) * width) : 0;
        out.write(`\r\x1b[2K[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${describeProgress(e.job)}`);
        drawn = true;
      },
      end() {
        if (drawn) out.write('\n');
      },
    };
  }
  return {
    onEvent(e) {
      const now = Date.now();
      if (e.type === 'progress' && now - last < PLAIN_EVERY_MS) return;
      last = now;
      out.write(`${e.type === 'progress' ? 'progress' : e.type}: ${describeProgress(e.job)}\n`);
    },
    end() {},
  };
}
