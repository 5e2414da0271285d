// Translate as you type: debounced, stale answers dropped, one text per non-empty line.
import { useEffect, useMemo, useRef, useState } from 'react';
import { AUTO_SOURCE, type ModelInfo, type Translation } from '../../shared/translation.js';
import { errorText, useShell } from '../app-context.js';
import { LanguageSelect } from '../components/LanguageSelect.js';
import { useDebounced, useModels, type PendingCommand } from '../hooks.js';
import { languageName, languagesOf } from '../lib/languages.js';
import { useDraftRecorder } from '../lib/draft-history.js';
import { FLAG_LABELS, flagsOf, lowestConfidence } from '../lib/review.js';

export interface TranslatePrefill {
  text: string;
  from?: string;
  to?: string;
}

export function TranslatePage({ prefill, command, onHandled }: { prefill?: TranslatePrefill } & PendingCommand) {
  const { api, go } = useShell();
  const [models] = useModels();
  const { sources, targets } = useMemo(() => languagesOf(models), [models]);
  const [from, setFrom] = useState(prefill?.from ?? 'en');
  const [to, setTo] = useState(prefill?.to ?? 'es');
  const [beam, setBeam] = useState(1);
  const [source, setSource] = useState(prefill?.text ?? '');
  const [result, setResult] = useState<Translation[] | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  /** The output as the user is correcting it; null while not editing. */
  const [edited, setEdited] = useState<string | null>(null);
  const [saved, setSaved] = useState('');
  /** Bumped after a save, so the translation is asked again (and comes from the memory). */
  const [round, setRound] = useState(0);
  const latest = useRef(0);
  const input = useRef<HTMLTextAreaElement>(null);
  const debounced = useDebounced(source, 250);

  useEffect(() => {
    if (prefill) setSource(prefill.text);
  }, [prefill]);

  useEffect(() => {
    const texts = debounced.split('\n').map((l) => l.trim()).filter(Boolean);
    const ticket = ++latest.current;
    if (texts.length === 0) {
      setResult(null);
      setError('');
      return;
    }
    setBusy(true);
    api
      // Drafts: what the user settles on is recorded in History (useDraftRecorder), not each keystroke's text.
      .translate({ texts, to, suggest: true, history: false, from: from || AUTO_SOURCE, ...(beam > 1 ? { options: { beam, nBest: Math.min(beam, 4) } } : {}) })
      .then(
        (r) => ticket === latest.current && (setResult(r), setError('')),
        (e: unknown) => ticket === latest.current && (setResult(null), setError(errorText(e))),
      )
      .finally(() => ticket === latest.current && setBusy(false));
  }, [api, debounced, from, to, beam, round]);

  useEffect(() => {
    setEdited(null);
    setSaved('');
  }, [debounced, from, to]);

  const recordDraft = useDraftRecorder(api, source, result, from, to, busy);
  const output = result?.map((t) => t.text).join('\n') ?? '';
  const terms = new Set(result?.flatMap((t) => t.glossary ?? [])).size;
  const flags = flagsOf(result ?? []);
  const confidence = lowestConfidence(result ?? []);
  const swap = () => {
    if (!from) return;
    setFrom(to);
    setTo(from);
    if (output) setSource(output);
  };
  /** Saves each line's translation (as edited, or as it is) to the memory: it answers from now on. */
  const save = async (origin: 'typed' | 'approved') => {
    if (!result || !from) return;
    const targets = (edited ?? output).split('\n');
    if (targets.length !== result.length) {
      setError(`keep one line per source line (${result.length}) to save the correction`);
      return;
    }
    try {
      const changed = result.map((t, i) => ({ t, target: targets[i]!.trim() })).filter(({ t, target }) => target && (origin === 'approved' || target !== t.text.trim() || t.origin !== 'memory'));
      await api.addMemory(changed.map(({ t, target }) => ({ from, to, source: t.source, target, origin: target === t.text.trim() ? 'approved' : origin })));
      setSaved(`${changed.length} saved to memory`);
      setEdited(null);
      setRound((n) => n + 1);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const copy = async () => {
    if (!output) return;
    recordDraft();
    await navigator.clipboard?.writeText(output).catch(() => {});
    setCopied(true);
    setTimeout(() => setCopied(false), 1200);
  };

  useEffect(() => {
    if (command?.id !== 'translate.swap' && command?.id !== 'translate.copy') return;
    onHandled();
    if (command.id === 'translate.swap') swap();
    else void copy();
  });

  useEffect(() => input.current?.focus(), []);

  const first = result?.[0];
  const ms = result?.reduce((sum, t) => sum + t.ms, 0) ?? 0;
  const allCached = !!result && result.every((t) => t.cached);
  const fromMemory = !!result && result.every((t) => t.origin === 'memory');
  const suggestions = result?.flatMap((t) => (t.suggestions ?? []).map((s) => ({ ...s, line: t.source }))) ?? [];

  return (
    <section className="page translate" aria-labelledby="translate-title">
      <header className="page-header">
        <h1 id="translate-title">Translate</h1>
        <div className="pair">
          <LanguageSelect label="From" value={from} options={sources.includes(from) || !from ? sources : [from, ...sources]} onChange={setFrom} emptyLabel="Detect language" testId="from-lang" />
          <button className="icon-button" onClick={swap} title="Swap languages (Ctrl+Shift+S)" aria-label="Swap languages" data-testid="swap-langs" disabled={!from}>
            ⇄
          </button>
          <LanguageSelect label="To" value={to} options={targets.includes(to) ? targets : [to, ...targets]} onChange={setTo} testId="to-lang" />
          <label className="inline-field">
            Alternatives
            <select className="select" value={beam} onChange={(e) => setBeam(Number(e.target.value))} data-testid="beam">
              <option value={1}>Off (fast)</option>
              <option value={4}>Show 4</option>
            </select>
          </label>
        </div>
      </header>
      {servedByDemoOnly(models, from, to) && (
        // The bundled model is a demo: say so where its output is read, with the way to a real one.
        <p className="demo-notice muted" data-testid="demo-notice">
          {from ? '' : 'English → Spanish: '}Parla's small built-in demo model is translating; full-size models translate far better.{' '}
          <button className="link-button" onClick={() => go('models')} data-testid="demo-get-model">
            Get a model
          </button>
        </p>
      )}
      <div className="panes">
        <div className="pane">
          <textarea
            ref={input}
            className="source"
            placeholder="Type or paste text to translate"
            value={source}
            onChange={(e) => setSource(e.target.value)}
            onBlur={recordDraft}
            data-testid="source-text"
            aria-label="Text to translate"
            spellCheck
          />
          <div className="pane-footer">
            <span className="muted">{source.length.toLocaleString()} characters</span>
            {source && (
              <button className="link-button" onClick={() => setSource('')} data-testid="clear-source">
                Clear
              </button>
            )}
          </div>
        </div>
        <div className="pane output-pane" aria-live="polite">
          {edited !== null ? (
            <textarea className="output editing" value={edited} onChange={(e) => setEdited(e.target.value)} data-testid="translation-edit" aria-label="Corrected translation" spellCheck />
          ) : (
            <div className={`output ${busy ? 'busy' : ''}`} data-testid="translation-output">
              {error ? <span className="error-text" data-testid="translate-error">{error}</span> : output || <span className="placeholder">Translation</span>}
            </div>
          )}
          {suggestions.length > 0 && (
            <div className="suggestions" data-testid="memory-suggestions">
              <span className="muted">From the translation memory</span>
              <ol>
                {suggestions.map((s) => (
                  <li key={`${s.line}\u0000${s.id}`} title={`Memory source: ${s.source}`}>
                    <span className="badge subtle">{Math.round(s.score * 100)}%</span> {s.target}
                  </li>
                ))}
              </ol>
            </div>
          )}
          {first?.alternatives && first.alternatives.length > 1 && (
            <ol className="alternatives" data-testid="alternatives">
              {first.alternatives.slice(1).map((a) => (
                <li key={a.text}>
                  <button className="link-button" onClick={() => setResult([{ ...first, text: a.text }, ...result!.slice(1)])}>
                    {a.text}
                  </button>
                </li>
              ))}
            </ol>
          )}
          <div className="pane-footer">
            <span className="meta">
              {first && (
                <>
                  {!from && first.detected?.language && (
                    // One click makes the detected language the chosen one, to change from there.
                    <button className="link-button" onClick={() => setFrom(first.detected!.language!)} data-testid="detected-lang" title="Use this source language">
                      Detected: {languageName(first.detected.language)}
                    </button>
                  )}
                  <span data-testid="model-used" title="Model">{first.model}</span>
                  {allCached && <span className="badge" data-testid="cache-hit">cached</span>}
                  {fromMemory && <span className="badge" data-testid="memory-hit" title="A person's translation from the memory">memory</span>}
                  {saved && <span className="muted" data-testid="memory-saved">{saved}</span>}
                  {terms > 0 && (
                    <span className="badge subtle" data-testid="glossary-applied" title="Glossary terms kept in this translation">
                      {terms} glossary {terms === 1 ? 'term' : 'terms'}
                    </span>
                  )}
                  {flags.length > 0 && (
                    <span className="badge warn" data-testid="needs-review" title={flags.map((f) => FLAG_LABELS[f]).join('; ')}>
                      needs review
                    </span>
                  )}
                  {confidence !== undefined && (
                    <span className="muted" data-testid="confidence" title="How sure the model is (lowest line)">
                      {confidence}% sure
                    </span>
                  )}
                  <span className="muted" data-testid="latency">{Math.round(ms)} ms</span>
                </>
              )}
            </span>
            {edited === null ? (
              <>
                <button className="button" onClick={() => setEdited(output)} disabled={!output || !from} data-testid="edit-translation" title="Correct the translation and save it to the memory">
                  Edit
                </button>
                <button className="button" onClick={() => void save('approved')} disabled={!output || !from} data-testid="approve-translation" title="Save as it is to the memory">
                  Approve
                </button>
              </>
            ) : (
              <>
                <button className="button primary" onClick={() => void save('typed')} data-testid="save-correction">
                  Save as correction
                </button>
                <button className="link-button" onClick={() => setEdited(null)} data-testid="cancel-edit">
                  Cancel
                </button>
              </>
            )}
            <button className="button" onClick={copy} disabled={!output} data-testid="copy-translation" title="Copy (Ctrl+Shift+C)">
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
        </div>
      </div>
    </section>
  );
}

/** True when the only installed model for the pair is the bundled demo (no source: English, the demo's). */
function servedByDemoOnly(models: readonly ModelInfo[], from: string, to: string): boolean {
  const serving = models.filter((m) => !m.problem && m.from === (from || 'en') && m.to.includes(to));
  return serving.length > 0 && serving.every((m) => m.bundled);
}
