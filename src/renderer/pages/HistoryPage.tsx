// Every translation from every door: search, filter by pair, a windowed list that loads pages
// as they scroll into view.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { HistoryEntry } from '../../shared/history.js';
import { useShell } from '../app-context.js';
import { LanguageSelect } from '../components/LanguageSelect.js';
import { VirtualList } from '../components/VirtualList.js';
import { useDebounced, useModels, type PendingCommand } from '../hooks.js';
import { saveFile } from '../lib/download.js';
import { formatTime } from '../lib/format.js';
import { languagesOf } from '../lib/languages.js';

const PAGE = 100;
const ROW = 68;

export function HistoryPage({ command, onHandled }: PendingCommand) {
  const { api, fail, go, notify } = useShell();
  const [models] = useModels();
  const { sources, targets } = useMemo(() => languagesOf(models), [models]);
  const [q, setQ] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [total, setTotal] = useState(0);
  const [entries, setEntries] = useState<(HistoryEntry | undefined)[]>([]);
  const [version, setVersion] = useState(0);
  const loading = useRef(new Set<number>());
  const generation = useRef(0);
  const search = useRef<HTMLInputElement>(null);
  const query = useDebounced(q, 200);
  const filter = useMemo(() => ({ ...(query ? { q: query } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) }), [query, from, to]);
  const [height, setHeight] = useState(480);

  useEffect(() => {
    const fit = () => setHeight(Math.max(240, window.innerHeight - 210));
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
      api.searchHistory({ ...filter, limit: PAGE, offset: page * PAGE }).then((res) => {
        if (asked !== generation.current) return; // an answer for an older search
        setTotal(res.total);
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
      <p className="muted" data-testid="history-total">
        {total.toLocaleString()} {total === 1 ? 'translation' : 'translations'}
      </p>
      <VirtualList
        count={total}
        rowHeight={ROW}
        height={height}
        onRange={onRange}
        testId="history-list"
        renderRow={(i) => {
          const e = entries[i];
          if (!e) return <div className="history-row placeholder">…</div>;
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
    </section>
  );
}
