// Every translation from every door: search, filter by pair, a windowed list that loads pages
// as they scroll into view. A batch job is listed as the job (its file, size, languages, a link
// to it); an empty list says what to do.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { HistoryEntry } from '../../shared/history.js';
import { AUTO_SOURCE } from '../../shared/translation.js';
import { useShell } from '../app-context.js';
import { LanguageSelect } from '../components/LanguageSelect.js';
import { VirtualList } from '../components/VirtualList.js';
import { useDebounced, useModels, type PendingCommand } from '../hooks.js';
import { draftsRecorded } from '../lib/draft-history.js';
import { saveFile } from '../lib/download.js';
import { formatTime } from '../lib/format.js';
import { showJobNext } from '../lib/job-focus.js';
import { languageName, languagesOf } from '../lib/languages.js';

const PAGE = 100;
const ROW = 68;
/** Narrow windows (the stylesheet's breakpoint) stack a row's text over its details and actions. */
const NARROW = '(max-width: 760px)';
const NARROW_ROW = 100;

export function HistoryPage({ command, onHandled }: PendingCommand) {
  const { api, fail, go, notify } = useShell();
  const [models] = useModels();
  const { sources, targets } = useMemo(() => languagesOf(models), [models]);
  const [q, setQ] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [total, setTotal] = useState(0);
  /** Whether the current search has answered (no empty-state message before it has). */
  const [loaded, setLoaded] = useState(false);
  const [entries, setEntries] = useState<(HistoryEntry | undefined)[]>([]);
  const [version, setVersion] = useState(0);
  const loading = useRef(new Set<number>());
  const generation = useRef(0);
  const search = useRef<HTMLInputElement>(null);
  const query = useDebounced(q, 200);
  const filter = useMemo(() => ({ ...(query ? { q: query } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) }), [query, from, to]);
  const [height, setHeight] = useState(480);
  const [narrow, setNarrow] = useState(false);

  useEffect(() => {
    const fit = () => {
      setHeight(Math.max(240, window.innerHeight - 210));
      setNarrow(window.matchMedia(NARROW).matches);
    };
    fit();
    window.addEventListener('resize', fit);
    return () => window.removeEventListener('resize', fit);
  }, []);
  useEffect(() => {
    if (command?.id !== 'history.search') return;
    onHandled();
    search.current?.focus();
  }, [command, onHandled]);

  const loadPage = useCallback(
    (page: number, reset = false) => {
      if (!reset && loading.current.has(page)) return;
      loading.current.add(page);
      const asked = generation.current;
      // What Translate recorded as the user left it is listed too.
      void draftsRecorded().then(() => api.searchHistory({ ...filter, limit: PAGE, offset: page * PAGE })).then((res) => {
        if (asked !== generation.current) return; // an answer for an older search
        setTotal(res.total);
        setLoaded(true);
        setEntries((prev) => {
          const next = reset ? new Array<HistoryEntry | undefined>(res.total) : prev.slice();
          next.length = res.total;
          res.entries.forEach((e, i) => (next[page * PAGE + i] = e));
          return next;
        });
      }, fail);
    },
    [api, fail, filter],
  );

  useEffect(() => {
    loading.current = new Set();
    generation.current++;
    loadPage(0, true);
  }, [loadPage, version]);

  // Other doors record too (a job finishing, `parla translate` in a terminal, another window):
  // a job's end arrives as an event; the rest is read again when the window is back in view.
  useEffect(() => {
    const reload = () => setVersion((v) => v + 1);
    const onVisible = () => document.visibilityState === 'visible' && reload();
    window.addEventListener('focus', reload);
    document.addEventListener('visibilitychange', onVisible);
    const unsubscribe = api.subscribe((event) => {
      if (event.type === 'job' && event.job.status === 'done') reload();
    });
    return () => {
      window.removeEventListener('focus', reload);
      document.removeEventListener('visibilitychange', onVisible);
      unsubscribe();
    };
  }, [api]);

  const onRange = useCallback(
    (first: number, last: number) => {
      for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) loadPage(p);
    },
    [loadPage],
  );

  const remove = async (ids: number[]) => {
    try {
      const { deleted } = await api.deleteHistory({ ids });
      notify(`Deleted ${deleted} ${deleted === 1 ? 'entry' : 'entries'}`);
      setVersion((v) => v + 1);
    } catch (e) {
      fail(e);
    }
  };
  const openJob = (id: string) => {
    showJobNext(id);
    go('batch');
  };
  const clearFilter = () => {
    setQ('');
    setFrom('');
    setTo('');
  };
  const filtered = !!(q || from || to);

  const removeAll = async () => {
    if (!window.confirm(`Delete all ${total} matching entries?`)) return;
    try {
      await api.deleteHistory({ query: filter });
      setVersion((v) => v + 1);
    } catch (e) {
      fail(e);
    }
  };

  return (
    <section className="page history" aria-labelledby="history-title">
      <header className="page-header">
        <h1 id="history-title">History</h1>
        <input ref={search} className="input search" type="search" placeholder="Search source or translation" value={q} onChange={(e) => setQ(e.target.value)} data-testid="history-search" aria-label="Search history" />
        <LanguageSelect label="From" value={from} options={sources} onChange={setFrom} emptyLabel="Any language" testId="history-from" />
        <span className="muted">→</span>
        <LanguageSelect label="To" value={to} options={targets} onChange={setTo} emptyLabel="Any language" testId="history-to" />
        <div className="spacer" />
        <button className="button" onClick={() => api.exportHistory(filter, 'csv').then(saveFile, fail)} data-testid="history-export">
          Export CSV
        </button>
        <button className="button danger" onClick={removeAll} disabled={total === 0} data-testid="history-delete-all">
          Delete all
        </button>
      </header>
      {total > 0 && (
        <p className="muted" data-testid="history-total">
          {total.toLocaleString()} {total === 1 ? 'translation' : 'translations'}
        </p>
      )}
      {loaded && total === 0 ? (
        filtered ? (
          <div className="card empty-state" data-testid="history-no-match">
            <strong>No translation matches{q ? ` “${q}”` : ''}{from || to ? ` in ${from ? languageName(from) : 'any language'} → ${to ? languageName(to) : 'any language'}` : ''}.</strong>
            <p className="muted">Search finds whole words and the start of words, in the text or its translation, accents or not. Try fewer or shorter words, or any language pair.</p>
            <button className="button" onClick={clearFilter} data-testid="history-clear-search">
              Clear search
            </button>
          </div>
        ) : (
          <div className="card empty-state" data-testid="history-empty">
            <strong>No translations yet.</strong>
            <p className="muted">
              What you translate here (once you stop typing or copy it), with <code>parla translate</code> or through the API is listed here, and each batch job once it ends. Search it later in any language.
            </p>
            <button className="button primary" onClick={() => go('translate')} data-testid="history-go-translate">
              Translate something
            </button>
          </div>
        )
      ) : (
        <VirtualList
          count={total}
          rowHeight={narrow ? NARROW_ROW : ROW}
          height={height}
          onRange={onRange}
          testId="history-list"
          renderRow={(i) => {
            const e = entries[i];
            if (!e) return <div className="history-row placeholder">…</div>;
            if (e.door === 'batch') return <JobRow entry={e} onOpen={openJob} onDelete={() => remove([e.id])} />;
            return (
              <div className="history-row" data-testid="history-row" role="listitem">
                <div className="history-text">
                  <div className="history-source">{e.source}</div>
                  <div className="history-target">{e.text}</div>
                </div>
                <div className="history-meta muted">
                  <span>
                    {e.from} → {e.to}
                  </span>
                  <span>{formatTime(e.createdAt)}</span>
                </div>
                <div className="history-actions">
                  <button className="link-button" onClick={() => navigator.clipboard?.writeText(e.text).then(() => notify('Copied'), () => {})}>
                    Copy
                  </button>
                  <button
                    className="link-button"
                    onClick={() => api.addMemory([{ from: e.from, to: e.to, source: e.source, target: e.text, origin: 'approved' }]).then(() => notify('Approved: saved to the translation memory'), fail)}
                    disabled={!e.from}
                    data-testid="history-approve"
                    title="Save this translation to the memory as it is"
                  >
                    Approve
                  </button>
                  <button className="link-button" onClick={() => go('translate', { text: e.source, from: e.from, to: e.to })} data-testid="history-retranslate" title="Open in Translate, where Edit saves a correction">
                    Correct
                  </button>
                  <button className="link-button danger" onClick={() => remove([e.id])} data-testid="history-delete">
                    Delete
                  </button>
                </div>
              </div>
            );
          }}
        />
      )}
    </section>
  );
}

/** A batch job's summary: the job, not a text to translate again. */
function JobRow({ entry: e, onOpen, onDelete }: { entry: HistoryEntry; onOpen(id: string): void; onDelete(): void }) {
  const languages = e.to.split(',').filter(Boolean);
  // Summaries made before jobs were kept with them hold a path (the file's, the result's): show names only.
  const file = e.job ? (e.job.file ?? 'Texts') : baseName(e.source);
  const perLanguage = e.job && languages.length ? Math.round(e.job.items / languages.length) : undefined;
  const outcome = e.job ? `${e.job.failed ? `${e.job.failed.toLocaleString()} failed` : e.job.done === e.job.items ? 'all translated' : `${e.job.done.toLocaleString()} translated`}${e.job.flagged ? `, ${e.job.flagged.toLocaleString()} to review` : ''}` : e.text.replace(/ → .*$/u, '');
  return (
    <div className="history-row history-job" data-testid="history-job" role="listitem">
      <div className="history-text">
        <div className="history-source">
          <span className="badge subtle">Batch job</span> <strong data-testid="history-job-file">{file}</strong>
        </div>
        <div className="history-job-summary muted" data-testid="history-job-summary">
          {perLanguage !== undefined && `${perLanguage.toLocaleString()} ${perLanguage === 1 ? 'text' : 'texts'} into ${languages.length === 1 ? '1 language' : `${languages.length} languages`} · `}
          {outcome}
        </div>
      </div>
      <div className="history-meta muted">
        <span title={languages.map(languageName).join(', ')}>
          {e.from && e.from !== AUTO_SOURCE ? e.from : 'any'} → {languages.join(', ')}
        </span>
        <span>{formatTime(e.createdAt)}</span>
      </div>
      <div className="history-actions">
        {e.job && (
          <button className="link-button" onClick={() => onOpen(e.job!.id)} data-testid="history-open-job" title="Show this job on the Batch page">
            Open job
          </button>
        )}
        <button className="link-button danger" onClick={onDelete} data-testid="history-delete">
          Delete
        </button>
      </div>
    </div>
  );
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
