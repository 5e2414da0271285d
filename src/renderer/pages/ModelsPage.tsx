// Installed models with their size on disk and the memory the model host measured for them; the
// catalog of downloadable OPUS-MT pairs (search by language, then fp32 or int8, each with the
// bytes it fetches, live progress); download any id; import a folder; remove.
import { useEffect, useRef, useState } from 'react';
import { errorText, useShell } from '../app-context.js';
import { ProgressBar } from '../components/ProgressBar.js';
import { useModels } from '../hooks.js';
import { countOf, formatBytes } from '../lib/format.js';
import { languageName } from '../lib/languages.js';
import { searchCatalog, type CatalogModel } from '../../shared/model-catalog.js';
import type { LaneLayout, ModelDownloadSizes, ModelInfo } from '../../shared/translation.js';

interface Download {
  received: number;
  total: number | null;
  error?: string;
}

export function ModelsPage() {
  const { api, fail, notify } = useShell();
  const [models, reload] = useModels();
  const [downloads, setDownloads] = useState<Record<string, Download>>({});
  const [id, setId] = useState('');
  const [query, setQuery] = useState('');
  const [dir, setDir] = useState('');

  useEffect(
    () =>
      api.subscribe((event) => {
        if (event.type === 'model-progress') setDownloads((d) => ({ ...d, [event.id]: { received: event.receivedBytes, total: event.totalBytes } }));
        if (event.type === 'model-failed') setDownloads((d) => ({ ...d, [event.id]: { received: 0, total: null, error: event.error.message } }));
      }),
    [api],
  );

  const [typedInt8, setTypedInt8] = useState(false);
  /** The catalog model whose precision is being chosen. */
  const [choosing, setChoosing] = useState<string>();

  const download = async (target: string, quantized = false) => {
    if (!target) return;
    setChoosing(undefined);
    setDownloads((d) => ({ ...d, [target]: { received: 0, total: null } }));
    try {
      await api.downloadModel(target, quantized ? { quantized } : {});
      notify(`Downloaded ${target}`);
      reload();
    } catch (e) {
      setDownloads((d) => ({ ...d, [target]: { received: 0, total: null, error: errorText(e) } }));
      return;
    }
    setDownloads(({ [target]: _, ...rest }) => rest);
  };
  const startTyped = () => {
    const target = id.trim();
    setId('');
    return download(target, typedInt8);
  };
  const installed = new Set(models.map((m) => m.id));
  const catalog = searchCatalog(query);
  const importDir = async () => {
    try {
      const model = await api.importModel(dir.trim());
      notify(`Imported ${model.id}`);
      setDir('');
      reload();
    } catch (e) {
      fail(e);
    }
  };
  const remove = async (modelId: string) => {
    if (!window.confirm(`Remove ${modelId}? Its files are deleted from the data folder.`)) return;
    await api.removeModel(modelId).then(reload, fail);
  };

  return (
    <section className="page models" aria-labelledby="models-title">
      <header className="page-header">
        <h1 id="models-title">Models</h1>
      </header>
      <ul className="model-list" data-testid="model-list">
        {models.map((m) => (
          <li key={m.id} className="card model" data-testid="model-row">
            <div className="model-name">
              <strong>{m.id}</strong>
              {m.bundled && <span className="badge">bundled</span>}
              {m.hasQuantized && <span className="badge subtle">int8</span>}
              {m.problem && <span className="badge broken">broken</span>}
            </div>
            <span className="muted">
              {languageName(m.from)} → {m.to.map(languageName).join(', ')}
            </span>
            <span className="muted size">{formatBytes(m.sizeBytes)}</span>
            <ModelMemoryNote model={m} />
            {m.problem && (
              // Never used for translation until fixed: say what is wrong and what to do.
              <span className="error-text" data-testid="model-problem">
                {m.problem} — {m.bundled ? 'reinstall Parla to restore it' : 'remove it, then install it again'}
              </span>
            )}
            <button className="link-button danger" onClick={() => remove(m.id)} disabled={m.bundled} title={m.bundled ? 'Bundled with Parla' : 'Remove'}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      {Object.entries(downloads).map(([name, d]) => (
        <div key={name} className="card download" data-testid="model-download">
          <div className="card-title">
            <strong>{name}</strong>
            <span className="muted">{d.error ? '' : d.total ? `${formatBytes(d.received)} of ${formatBytes(d.total)}` : 'starting…'}</span>
          </div>
          {d.error ? <span className="error-text">{d.error}</span> : <ProgressBar value={d.total ? d.received / d.total : 0} label={`${name} download`} />}
        </div>
      ))}
      <div className="card form" data-testid="model-catalog">
        <h2 className="section-title">Get a model</h2>
        <p className="muted">OPUS-MT models converted for Parla's engine (Xenova's ONNX conversions), downloaded once for this machine.</p>
        <label className="field grow">
          Language
          <input className="input" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Spanish, fr, Deutsch…" data-testid="catalog-search" />
        </label>
        {catalog.length === 0 ? (
          <p className="muted" data-testid="catalog-empty">
            No model in the catalog for “{query.trim()}”. Try a language name or code such as Spanish or es; any other Marian ONNX model can be downloaded by id or imported below.
          </p>
        ) : (
          <ul className="catalog-list">
            {catalog.map((m) => (
              <li key={m.id} className="catalog-item" data-testid="catalog-row">
                <span>
                  {m.from === 'mul' ? 'Many languages' : languageName(m.from)} → {m.to === 'mul' ? 'many languages' : languageName(m.to)}
                </span>
                <span className="muted">{m.approxMB ? `~${m.approxMB} MB` : ''}</span>
                {installed.has(m.id) ? (
                  <span className="badge subtle">installed</span>
                ) : (
                  <button className="button small" onClick={() => setChoosing(choosing === m.id ? undefined : m.id)} disabled={m.id in downloads} aria-expanded={choosing === m.id} data-testid="catalog-download" title={m.id}>
                    Download…
                  </button>
                )}
                {choosing === m.id && <PrecisionChoice model={m} onDownload={(quantized) => void download(m.id, quantized)} onCancel={() => setChoosing(undefined)} />}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="card form">
        <h2 className="section-title">Add a model by id or folder</h2>
        <div className="form-row">
          <label className="field grow">
            Hugging Face id
            <input className="input" value={id} onChange={(e) => setId(e.target.value)} placeholder="Xenova/opus-mt-en-de" data-testid="model-id" onKeyDown={(e) => e.key === 'Enter' && void startTyped()} />
          </label>
          <label className="check">
            <input type="checkbox" checked={typedInt8} onChange={(e) => setTypedInt8(e.target.checked)} data-testid="model-id-int8" />
            int8 only
          </label>
          <button className="button primary" onClick={startTyped} disabled={!id.trim()} data-testid="model-download-start">
            Download
          </button>
        </div>
        <div className="form-row">
          <label className="field grow">
            Model folder (Optimum layout)
            <input className="input" value={dir} onChange={(e) => setDir(e.target.value)} placeholder="/path/to/opus-mt-en-it" data-testid="model-dir" />
          </label>
          <button className="button" onClick={importDir} disabled={!dir.trim()} data-testid="model-import">
            Import
          </button>
        </div>
      </div>
    </section>
  );
}

/**
 * What a loaded model costs: the model host's memory growth it measured for each precision it
 * has run (weights, onnxruntime's buffers, a batch's activations) and the lanes it ran on, or
 * that none was measured yet.
 */
function ModelMemoryNote({ model }: { model: ModelInfo }) {
  const lanes = (l: LaneLayout | undefined) => (l ? `, ${countOf(l.lanes, 'lane')} × ${countOf(l.threadsPerLane, 'thread')}` : '');
  const measured = (['fp32', 'int8'] as const).flatMap((p) => (model.memory?.[p] ? [`${formatBytes(model.memory[p])} (${p}${lanes(model.memory.layout?.[p])})`] : []));
  return (
    <span
      className="muted memory"
      data-testid="model-memory"
      title="The model host's memory growth when it loaded this model and translated with it, and how it ran it: lanes decode batches side by side, each with its own onnxruntime threads (Settings → Threads caps them)"
    >
      {measured.length ? `in memory: ${measured.join(', ')}` : 'in memory: measured on first use'}
    </span>
  );
}

/**
 * fp32 or int8 for a catalog model, with the bytes each download fetches as the Hub lists them
 * (the catalog's estimate until the listing answers, or when it cannot be reached).
 */
function PrecisionChoice({ model, onDownload, onCancel }: { model: CatalogModel; onDownload: (quantized: boolean) => void; onCancel: () => void }) {
  const { api } = useShell();
  const [sizes, setSizes] = useState<ModelDownloadSizes | 'unknown'>();
  const [quantized, setQuantized] = useState(false);
  const shown = useRef<HTMLFieldSetElement>(null);
  // It opens inside the scrolling catalog list: scrolled into view whole, again once the sizes
  // (which change its height) are in.
  useEffect(() => {
    shown.current?.scrollIntoView({ block: 'nearest' });
  }, [sizes]);
  useEffect(() => {
    let live = true;
    api.modelDownloadSizes(model.id).then(
      (s) => live && setSizes(s),
      () => live && setSizes('unknown'),
    );
    return () => {
      live = false;
    };
  }, [api, model.id]);
  const listed = sizes && sizes !== 'unknown' ? sizes : undefined;
  const estimate = model.approxMB ? `~${model.approxMB} MB` : 'size unknown';
  const fullSize = listed ? formatBytes(listed.fullBytes) : sizes ? estimate : '…';
  const int8Size = listed ? (listed.int8Bytes ? formatBytes(listed.int8Bytes) : 'not offered') : sizes ? 'size unknown' : '…';
  const noInt8 = !!listed && listed.int8Bytes === undefined;
  return (
    <fieldset className="precision-choice" ref={shown} data-testid="precision-choice">
      <legend className="muted">Precision</legend>
      <label className="check">
        <input type="radio" name={`precision-${model.id}`} checked={!quantized} onChange={() => setQuantized(false)} data-testid="precision-fp32" />
        <span>
          <strong>fp32</strong> · <span data-testid="size-fp32">{fullSize}</span>
          <span className="muted"> — full precision (int8 graphs included where offered)</span>
        </span>
      </label>
      <label className="check">
        <input type="radio" name={`precision-${model.id}`} checked={quantized} disabled={noInt8} onChange={() => setQuantized(true)} data-testid="precision-int8" />
        <span>
          <strong>int8 (quantized)</strong> · <span data-testid="size-int8">{int8Size}</span>
          <span className="muted"> — smaller and faster, translations may differ slightly</span>
        </span>
      </label>
      <div className="form-row">
        <button className="button small primary" onClick={() => onDownload(quantized)} data-testid="precision-download">
          Download {quantized ? 'int8' : 'fp32'}
        </button>
        <button className="link-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}
