// What the Translate page puts in History. It translates as the user types, asking with
// `history: false`; the translation on screen is recorded once the user settles on it: a pause in
// typing, a copy, or leaving the field or the page. Typing one sentence makes one entry.
import { useCallback, useEffect, useRef } from 'react';
import type { ParlaApi } from '../../shared/api.js';
import type { HistoryDraft } from '../../shared/history.js';
import type { Translation } from '../../shared/translation.js';

/** How long typing must pause before the translation on screen counts as settled. */
export const SETTLE_MS = 1500;

/** The last recording sent: History waits for it, so an entry made on leaving Translate is listed. */
let sending: Promise<unknown> = Promise.resolve();

/** Resolves once every entry recorded so far has reached the services (failed or not). */
export function draftsRecorded(): Promise<void> {
  return sending.then(
    () => undefined,
    () => undefined,
  );
}

/**
 * Records `result` (the translation on screen of the text being typed) once it is settled: after
 * SETTLE_MS without a keystroke or a new result, when the returned function is called (copy,
 * leaving the field), or when the page unmounts. `busy` (a translation in flight) holds the
 * pause back: the answer for the latest text is on its way. Each settled text is recorded once.
 */
export function useDraftRecorder(api: ParlaApi, source: string, result: readonly Translation[] | null, from: string, to: string, busy: boolean): () => void {
  const onScreen = useRef<{ key: string; entries: HistoryDraft[] } | null>(null);
  const recorded = useRef('');
  onScreen.current = result?.length ? draftOf(result, from, to) : null;

  const record = useCallback(() => {
    const draft = onScreen.current;
    if (!draft || draft.key === recorded.current) return;
    recorded.current = draft.key;
    // Best effort: a history that cannot be written must not get in the way of translating.
    sending = api.addHistory(draft.entries).catch(() => undefined);
  }, [api]);

  useEffect(() => {
    if (busy || !result?.length) return;
    const timer = setTimeout(record, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [source, result, busy, record]);
  // Leaving the page is leaving the field.
  useEffect(() => record, [record]);
  return record;
}

function draftOf(result: readonly Translation[], from: string, to: string): { key: string; entries: HistoryDraft[] } {
  const entries = result
    .filter((t) => t.source.trim() !== '')
    .map((t) => ({
      source: t.source,
      text: t.text,
      // "Detect language": the language each line was found to be in (or fell back to).
      from: from || t.from || '',
      to,
      model: t.model,
      ...(t.flags?.length ? { flags: t.flags } : {}),
    }));
  return { key: JSON.stringify(entries.map((e) => [e.source, e.text, e.from, e.to])), entries };
}
