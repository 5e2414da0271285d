// The one history entry a finished batch job leaves (local or team runner alike): the job as
// History shows it (its file's name, counts, a way to open it), never the paths of the machine
// that ran it (an upload folder on a server means nothing to the person who sent the file).
import { basename } from 'node:path';
import type { NewHistoryEntry } from '../../shared/history.js';
import type { JobRecord } from '../../shared/jobs.js';

export function jobSummaryEntry(record: JobRecord, by = ''): NewHistoryEntry {
  const p = record.progress;
  const file = record.input ? basename(record.input.file) : undefined;
  return {
    source: file ?? `job ${record.id}`,
    text: `${p.done} of ${p.total} items translated${by}${p.failed ? `, ${p.failed} failed` : ''}${p.flagged ? `, ${p.flagged} flagged for review` : ''}`,
    from: record.from,
    to: record.to.join(','),
    model: '',
    door: 'batch',
    job: { id: record.id, ...(file ? { file } : {}), items: p.total, done: p.done, failed: p.failed, ...(p.flagged ? { flagged: p.flagged } : {}) },
  };
}
