import { useEffect, useState } from 'react';
import type { CommandId } from '../shared/commands.js';
import type { JobRecord } from '../shared/jobs.js';
import type { ModelInfo } from '../shared/translation.js';
import { useShell } from './app-context.js';
import type { Sample } from './components/ThroughputChart.js';

export function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

export function useModels(): [ModelInfo[], () => void] {
  const { api, fail } = useShell();
  const [models, setModels] = useState<ModelInfo[]>([]);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    api.listModels().then(setModels, fail);
  }, [api, fail, version]);
  return [models, () => setVersion((v) => v + 1)];
}

// Progress samples outlive the Batch page so a job's chart survives navigating away and back.
const SAMPLES = new Map<string, Sample[]>();

/** Every job, kept live by job events; also the progress samples behind each throughput chart. */
export function useJobs(): { jobs: JobRecord[]; samples: Map<string, Sample[]> } {
  const { api, fail } = useShell();
  const [jobs, setJobs] = useState<JobRecord[]>([]);
  useEffect(() => {
    let live = true;
    const upsert = (job: JobRecord) => {
      const list = SAMPLES.get(job.id) ?? [];
      if (job.status === 'running' || list.length > 0) list.push({ t: Date.now(), done: job.progress.done + job.progress.failed });
      if (list.length > 2000) list.splice(0, list.length - 2000);
      SAMPLES.set(job.id, list);
      setJobs((prev) => {
        const i = prev.findIndex((j) => j.id === job.id);
        if (i < 0) return [job, ...prev];
        const next = prev.slice();
        next[i] = job;
        return next;
      });
    };
    const unsubscribe = api.subscribe((event) => event.type === 'job' && upsert(event.job));
    api.listJobs().then((list) => live && setJobs((prev) => mergeById(list, prev)), fail);
    return () => {
      live = false;
      unsubscribe();
    };
  }, [api, fail]);
  return { jobs, samples: SAMPLES };
}

function mergeById(listed: JobRecord[], live: JobRecord[]): JobRecord[] {
  const byId = new Map(listed.map((j) => [j.id, j]));
  for (const j of live) byId.set(j.id, j);
  return [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}

/** A menu or keyboard command waiting for the page it belongs to. */
export interface PendingCommand {
  command: { id: CommandId; n: number } | null;
  onHandled(): void;
}

/** How often the model host is asked about its models while a translation waits. */
const LOADING_POLL_MS = 400;

/**
 * While `waiting` (a translation is under way), what the model host is doing that the
 * translation waits for: starting, or loading a model (its id and precision); null otherwise.
 */
export function useModelLoading(waiting: boolean): string | null {
  const { api } = useShell();
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    if (!waiting) {
      setMessage(null);
      return;
    }
    let live = true;
    const poll = () =>
      api.health().then(
        (h) => {
          if (!live) return;
          const loading = h.host?.modelStates.filter((m) => m.state === 'loading') ?? [];
          if (h.modelHost === 'starting') setMessage('Starting the model host…');
          else if (loading.length) setMessage(`Loading model ${loading.map((m) => `${m.id} (${m.quantized ? 'int8' : 'fp32'})`).join(', ')}…`);
          else setMessage(null);
        },
        () => undefined,
      );
    void poll();
    const timer = setInterval(() => void poll(), LOADING_POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, waiting]);
  return message;
}
