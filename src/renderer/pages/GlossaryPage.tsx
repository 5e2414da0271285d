// The glossary of one language pair: terms every translation of that pair keeps (a target term,
// or a do-not-translate name as written). Search, add or edit (adding a term again replaces it),
// remove, import a CSV/TSV file, export the pair.
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { GlossaryEntry } from '../../shared/glossary.js';
import { useShell } from '../app-context.js';
import { LanguageSelect } from '../components/LanguageSelect.js';
import { useDebounced, useModels } from '../hooks.js';
import { saveFile } from '../lib/download.js';
import { languagesOf } from '../lib/languages.js';

const PAGE = 200;

export function GlossaryPage() {
  const { api, fail, notify } = useShell();
  const [models] = useModels();
  const { sources, targets } = useMemo(() => languagesOf(models), [models]);
  const [from, setFrom] = useState('en');
  const [to, setTo] = useState('es');
  const [q, setQ] = useState('');
  const query = useDebounced(q, 200);
  const [entries, setEntries] = useState<GlossaryEntry[]>([]);
  const [total, setTotal] = useState(0);
  const [version, setVersion] = useState(0);
  const [source, setSource] = useState('');
  const [target, setTarget] = useState('');
  const [dnt, setDnt] = useState(false);
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [partial, setPartial] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const sourceInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    api.listGlossary({ from, to, ...(query ? { q: query } : {}), limit: PAGE }).then((page) => {
      if (!live) return;
      setEntries(page.entries);
      setTotal(page.total);
    }, fail);
    return () => {
      live = false;
    };
  }, [api, fail, from, to, query, version]);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const [stored] = await api.addGlossary([
        { from, to, source, ...(dnt ? { doNotTranslate: true } : { target }), caseSensitive, wholeWord: !partial },
      ]);
      notify(`Saved “${stored!.source}”`);
      setSource('');
      setTarget('');
      setDnt(false);
      setCaseSensitive(false);
      setPartial(false);
      refresh();
      sourceInput.current?.focus();
    } catch (error) {
      fail(error);
    }
  };

  const edit = (entry: GlossaryEntry) => {
    setSource(entry.source);
    setTarget(entry.doNotTranslate ? '' : entry.target);
    setDnt(entry.doNotTranslate);
    setCaseSensitive(entry.caseSensitive);
    setPartial(!entry.wholeWord);
    sourceInput.current?.focus();
  };

  const remove = async (entry: GlossaryEntry) => {
    try {
      await api.removeGlossary(entry.id);
      notify(`Removed “${entry.source}”`);
      refresh();
    } catch (error) {
      fail(error);
    }
  };

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    try {
      const { imported, ms } = await api.importGlossary({ from, to, fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
      notify(`Imported ${imported.toLocaleString()} ${imported === 1 ? 'term' : 'terms'} in ${ms} ms`);
      refresh();
    } catch (error) {
      fail(error);
    } finally {
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  return (
    <section className="page glossary" aria-labelledby="glossary-title">
      <header className="page-header">
        <h1 id="glossary-title">Glossary</h1>
        <LanguageSelect label="From" value={from} options={sources.length ? sources : ['en']} onChange={setFrom} testId="glossary-from" />
        <span className="muted">→</span>
        <LanguageSelect label="To" value={to} options={targets.length ? targets : ['es']} onChange={setTo} testId="glossary-to" />
        <input className="input search" type="search" placeholder="Search terms" value={q} onChange={(e) => setQ(e.target.value)} data-testid="glossary-search" aria-label="Search terms" />
        <div className="spacer" />
        <input ref={fileInput} type="file" accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values" hidden onChange={(e) => void importFile(e.target.files?.[0])} data-testid="glossary-file" />
        <button className="button" onClick={() => fileInput.current?.click()} data-testid="glossary-import">
          Import CSV/TSV
        </button>
        <button className="button" onClick={() => api.exportGlossary({ from, to }, 'csv').then(saveFile, fail)} data-testid="glossary-export">
          Export CSV
        </button>
      </header>
      <p className="muted">Every translation from {from} to {to} keeps these terms: where the source term occurs, the output holds the target term.</p>
      <form className="glossary-form" onSubmit={(e) => void add(e)} data-testid="glossary-form">
        <input ref={sourceInput} className="input" placeholder="Source term" value={source} onChange={(e) => setSource(e.target.value)} required aria-label="Source term" data-testid="glossary-source" />
        <span className="muted">→</span>
        <input
          className="input"
          placeholder={dnt ? 'kept as written' : 'Target term'}
          value={dnt ? source : target}
          onChange={(e) => setTarget(e.target.value)}
          disabled={dnt}
          required={!dnt}
          aria-label="Target term"
          data-testid="glossary-target"
        />
        <label className="check">
          <input type="checkbox" checked={dnt} onChange={(e) => setDnt(e.target.checked)} data-testid="glossary-dnt" /> Do not translate
        </label>
        <label className="check">
          <input type="checkbox" checked={caseSensitive} onChange={(e) => setCaseSensitive(e.target.checked)} data-testid="glossary-case" /> Match case
        </label>
        <label className="check">
          <input type="checkbox" checked={partial} onChange={(e) => setPartial(e.target.checked)} data-testid="glossary-partial" /> Inside words
        </label>
        <button className="button primary" type="submit" data-testid="glossary-add">
          Save term
        </button>
      </form>
      <p className="muted" data-testid="glossary-total">
        {total.toLocaleString()} {total === 1 ? 'term' : 'terms'}
        {total > entries.length ? ` (showing ${entries.length}; search to narrow)` : ''}
      </p>
      <ul className="glossary-list" data-testid="glossary-list">
        {entries.map((e) => (
          <li key={e.id} className="glossary-row" data-testid="glossary-row">
            <span className="glossary-source">{e.source}</span>
            <span className="muted">→</span>
            <span className="glossary-target">{e.target}</span>
            <span className="glossary-flags">
              {e.doNotTranslate && <span className="badge">do not translate</span>}
              {e.caseSensitive && <span className="badge">case</span>}
              {!e.wholeWord && <span className="badge">inside words</span>}
            </span>
            <span className="glossary-actions">
              <button className="link-button" onClick={() => edit(e)} data-testid="glossary-edit">
                Edit
              </button>
              <button className="link-button danger" onClick={() => void remove(e)} data-testid="glossary-remove">
                Remove
              </button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
