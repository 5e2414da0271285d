// Translate as you type: debounced, stale answers dropped, one text per non-blank line (blank
// lines and indentation kept as typed), a long paste sent in parts. The draft outlives the page.
import { useEffect, useMemo, useRef, useState } from 'react';
import { toErrorInfo } from '../../shared/errors.js';
import { AUTO_SOURCE, type ModelInfo, type Translation } from '../../shared/translation.js';
import { errorText, useShell } from '../app-context.js';
import { LanguageSelect } from '../components/LanguageSelect.js';
import { ProgressBar } from '../components/ProgressBar.js';
import { useDebounced, useModelLoading, useModels, type PendingCommand } from '../hooks.js';
import { loadDraft, saveDraft } from '../lib/draft.js';
import { languageName, languagesOf } from '../lib/languages.js';
import { editedTexts, joinLines, splitLines, type Lines } from '../../shared/text-lines.js';
import { useDraftRecorder } from '../lib/draft-history.js';
import { FLAG_LABELS, flagsOf, lowestConfidence } from '../lib/review.js';
import { withShortcut } from '../lib/shortcuts.js';
import { PART_TEXTS, translateInParts, type PartsProgress } from '../lib/translate-parts.js';

export interface TranslatePrefill {
  text: string;
  from?: string;
  to?: string;
}

/** A translation of the lines it answers (the layout its texts go back into). */
interface Answer {
  lines: Lines;
  translations: Translation[];
  /** A long text's first parts, while the rest is on its way: shown, not yet edited or copied. */
  partial?: boolean;
}

/** What went wrong, and whether a model from the Models page is the fix. */
interface PageError {
  text: string;
  needsModel?: boolean;
}

export function TranslatePage({ prefill, onPrefillTaken, command, onHandled }: { prefill?: TranslatePrefill; onPrefillTaken(): void } & PendingCommand) {
  const { api, go, notify } = useShell();
  const [models] = useModels();
  const { sources, targets } = useMemo(() => languagesOf(models), [models]);
  const [draft] = useState(loadDraft);
  const [from, setFrom] = useState(draft.from ?? 'en');
  const [to, setTo] = useState(draft.to ?? 'es');
  const [beam, setBeam] = useState(draft.beam ?? 1);
  const [source, setSource] = useState(draft.text ?? '');
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setPageError] = useState<PageError | null>(null);
  const setError = (text: string) => setPageError(text ? { text } : null);
  const [busy, setBusy] = useState(false);
  /** Lines translated of a long text going out in parts; null when it went out in one request. */
  const [progress, setProgress] = useState<Omit<PartsProgress, 'translations'> | null>(null);
  /** A first translation waits for its model to load: say so while it does. */
  const loading = useModelLoading(busy);
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
    if (!prefill) return;
    setSource(prefill.text);
    if (prefill.from !== undefined) setFrom(prefill.from);
    if (prefill.to) setTo(prefill.to);
    onPrefillTaken();
  }, [prefill, onPrefillTaken]);

  // Saved when typing pauses, not per key (a long draft is costly to write), and whatever is
  // newer when the page is left or the window reloaded or closed.
  const current = useRef({ text: source, from, to, beam });
  current.current = { text: source, from, to, beam };
  useEffect(() => saveDraft({ text: debounced, from, to, beam }), [debounced, from, to, beam]);
  useEffect(() => {
    const save = () => saveDraft(current.current);
    window.addEventListener('pagehide', save);
    return () => {
      window.removeEventListener('pagehide', save);
      save();
    };
  }, []);

  useEffect(() => {
    const lines = splitLines(debounced);
    const ticket = ++latest.current;
    const stale = () => ticket !== latest.current;
    if (lines.texts.length === 0) {
      setAnswer(null);
      setPageError(null);
      setProgress(null);
      return;
    }
    setBusy(true);
    const inParts = lines.texts.length > PART_TEXTS;
    setProgress(inParts ? { done: 0, total: lines.texts.length } : null);
    if (inParts) setAnswer(null); // not the previous text's answer under this one's progress
    // Drafts: what the user settles on is recorded in History (useDraftRecorder), not each keystroke's text.
    const request = { texts: lines.texts, to, suggest: true, history: false, from: from || AUTO_SOURCE, ...(beam > 1 ? { options: { beam, nBest: Math.min(beam, 4) } } : {}) };
    const onPart = ({ done, total, translations }: PartsProgress) => {
      if (stale() || !inParts || done === total) return;
      setProgress({ done, total });
      setAnswer({ lines, translations: translations.slice(), partial: true });
    };
    translateInParts(api, request, onPart, stale)
      .then(
        (translations) => translations && !stale() && (setAnswer({ lines, translations }), setPageError(null), setProgress(null)),
        (e: unknown) => !stale() && (setAnswer(null), setPageError(pageError(e, from, to)), setProgress(null)),
      )
      .finally(() => !stale() && setBusy(false));
  }, [api, debounced, from, to, beam, round]);

  useEffect(() => {
    setEdited(null);
    setSaved('');
  }, [debounced, from, to]);

  const result = answer?.translations ?? null;
  const output = answer ? joinLines(answer.lines, answer.translations.map((t) => t.text)) : '';
  /** The output is whole and current: it may be edited, approved and copied. */
  const ready = !!output && !answer?.partial;
  const recordDraft = useDraftRecorder(api, source, ready ? result : null, from, to, busy);
  const terms = new Set(result?.flatMap((t) => t.glossary ?? [])).size;
  const flags = flagsOf(result ?? []);
  const confidence = lowestConfidence(result ?? []);
  const swapBlocked = swapBlockedBy(models, from, to);
  // The texts change places only with a model for the way back; the user's text is never lost.
  const swap = () => {
    if (swapBlocked) return notify(swapBlocked, 'error');
    setFrom(to);
    setTo(from);
    if (ready && !busy && !error) setSource(output);
  };
  /** Saves each line's translation (as edited, or as it is) to the memory: it answers from now on. */
  const save = async (origin: 'typed' | 'approved') => {
    if (!answer || answer.partial || !result || !from) return;
    const targets = editedTexts(answer.lines, edited ?? output);
    if (!targets) {
      setError(`keep the ${answer.lines.slots.length} lines as they are (blank ones too) to save the correction`);
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
    if (!ready) return;
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
          {/* The reason sits on a wrapper too: a disabled button gets no hover in some browsers. */}
          <span title={swapBlocked || withShortcut('Swap languages and texts', 'translate.swap')} data-testid="swap-wrap">
            <button className="icon-button" onClick={swap} aria-label="Swap languages" aria-describedby={swapBlocked ? 'swap-reason' : undefined} data-testid="swap-langs" disabled={!!swapBlocked}>
              ⇄
            </button>
            {swapBlocked && (
              <span id="swap-reason" className="sr-only" data-testid="swap-reason">
                {swapBlocked}
              </span>
            )}
          </span>
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
          {loading && (
            <div className="model-loading" role="status" data-testid="model-loading">
              <span className="spinner" aria-hidden="true" />
              {loading} The first translation waits for it.
            </div>
          )}
          {edited !== null ? (
            <textarea className="output editing" value={edited} onChange={(e) => setEdited(e.target.value)} data-testid="translation-edit" aria-label="Corrected translation" spellCheck />
          ) : (
            <div className={`output ${busy ? 'busy' : ''}`} data-testid="translation-output">
              {error ? (
                <span className="error-text" data-testid="translate-error">
                  {error.text}
                  {error.needsModel && (
                    <>
                      {' '}
                      <button className="link-button" onClick={() => go('models')} data-testid="error-get-model">
                        Get a model
                      </button>
                    </>
                  )}
                </span>
              ) : (
                output || <span className="placeholder">Translation</span>
              )}
            </div>
          )}
          {progress && (
            <div className="parts-progress" data-testid="translate-progress">
              <ProgressBar value={progress.done / progress.total} label="Lines translated" />
              <span className="muted">
                {progress.done.toLocaleString()} of {progress.total.toLocaleString()} lines translated
              </span>
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
                  <button className="link-button" onClick={() => setAnswer({ lines: answer!.lines, translations: [{ ...first, text: a.text }, ...result!.slice(1)] })}>
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
                <button className="button" onClick={() => setEdited(output)} disabled={!ready || !from} data-testid="edit-translation" title="Correct the translation and save it to the memory">
                  Edit
                </button>
                <button className="button" onClick={() => void save('approved')} disabled={!ready || !from} data-testid="approve-translation" title="Save as it is to the memory">
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
            <button className="button" onClick={copy} disabled={!ready} data-testid="copy-translation" title={withShortcut('Copy', 'translate.copy')}>
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
        </div>
      </div>
    </section>
  );
}

/** Why Swap cannot be used now (no source language, or no model for the way back), or ''. */
function swapBlockedBy(models: readonly ModelInfo[], from: string, to: string): string {
  if (!from) return 'Choose the source language to swap (Detect language has no way back)';
  if (!installed(models, to, from)) return `Swap needs a ${languageName(to)} → ${languageName(from)} model; get one on the Models page`;
  return '';
}

function installed(models: readonly ModelInfo[], from: string, to: string): boolean {
  return models.some((m) => !m.problem && m.from === from && m.to.includes(to));
}

/** A failed translation in the page's words: a missing model leads to the Models page, never to a command line. */
function pageError(error: unknown, from: string, to: string): PageError {
  if (toErrorInfo(error).code !== 'UNKNOWN_PAIR') return { text: errorText(error) };
  const pair = from ? `${languageName(from)} → ${languageName(to)}` : `into ${languageName(to)}`;
  return { text: `No model installed translates ${pair}.`, needsModel: true };
}

/** True when the only installed model for the pair is the bundled demo (no source: English, the demo's). */
function servedByDemoOnly(models: readonly ModelInfo[], from: string, to: string): boolean {
  const serving = models.filter((m) => !m.problem && m.from === (from || 'en') && m.to.includes(to));
  return serving.length > 0 && serving.every((m) => m.bundled);
}
