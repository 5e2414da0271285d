// The one history entry a finished batch job leaves (local or team runner alike).
import type { NewHistoryEntry } from '../../shared/history.js';
import type { JobRecord } from '../../shared/jobs.js';

export function jobSummaryEntry(record: JobRecord, by = ''): NewHistoryEntry {
  const p = record.progress;
  return {
    source: record.input?.file ?? `job ${record.id}`,
    text: `${p.done} of ${p.total} items translated${by}${p.failed ? `, ${p.failed} failed` : ''}${p.flagged ? `, ${p.flagged} flagged for review` : ''}${record.output ? ` → ${record.output}` : ''}`,
    from: record.from,
    to: record.to.join(','),
    model: '',
    door: 'batch',
  };
}
