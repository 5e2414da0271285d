// Spreadsheets and localization files in, translated files out: preview, options, and every job live.
import { useEffect, useMemo, useRef, useState } from 'react';
import { classifyColumn, classLabel, SAMPLE_CELLS, type ColumnVerdict } from '../../shared/column-class.js';
import { batchFileProblem, FILE_CHECK_BYTES } from '../../shared/file-check.js';
import { BATCH_FILE_EXTENSIONS } from '../../shared/files.js';
import { toErrorInfo } from '../../shared/errors.js';
import { allowedActions, type FilePreview, type JobAction } from '../../shared/job-requests.js';
import type { JobRecord } from '../../shared/jobs.js';
import { errorText, useShell } from '../app-context.js';
import { LanguageSelect } from '../components/LanguageSelect.js';
import { ProgressBar } from '../components/ProgressBar.js';
import { ThroughputChart, type Sample } from '../components/ThroughputChart.js';
import { useJobs, useModels, type PendingCommand } from '../hooks.js';
import { previewRows } from '../lib/csv.js';
import { saveFile } from '../lib/download.js';
import { takeJobToShow } from '../lib/job-focus.js';
import { FLAG_LABELS } from '../lib/review.js';
import type { FilePayload } from '../../shared/files.js';
import { AUTO_SOURCE, type TranslationFlag } from '../../shared/translation.js';
import { formatBytes, formatDuration, formatRate } from '../lib/format.js';
import { languageName, languagesOf } from '../lib/languages.js';

interface Picked {
  file: File;
  /** CSV/TSV: the header and the first rows shown; null for a workbook (read by the services). */
  rows: string[][] | null;
  /** Each header column's class, judged from the sampled rows as the services judge it. */
  verdicts: ColumnVerdict[];
  /** A localization file (PO, …): its format and first units, as the services read them. */
  units?: FilePreview;
}

const PREVIEW_ROWS = 5;
/** Units of a localization file shown before a job starts. */
const PREVIEW_UNITS = 8;
/** Spreadsheets the page previews itself; any other file is read by the services (by its content). */
const SPREADSHEET = /\.(csv|tsv|xlsx|xlsm)$/i;
const WORKBOOK = /\.(xlsx|xlsm)$/i;
const SAMPLE_BYTES = 64 * 1024;

/** The header, the sampled rows (a row cut by the end of the sample left out) and each column's verdict. */
async function readPreview(file: File): Promise<Pick<Picked, 'rows' | 'verdicts'>> {
  const rows = previewRows(await file.slice(0, SAMPLE_BYTES).text(), SAMPLE_CELLS + 2);
  if (file.size > SAMPLE_BYTES) rows.pop();
  const [header = [], ...data] = rows;
  const sample = data.slice(0, SAMPLE_CELLS);
  return { rows: [header, ...data.slice(0, PREVIEW_ROWS)], verdicts: header.map((_, i) => classifyColumn(sample.map((r) => r[i] ?? ''))) };
}

const ACTION_LABEL: Record<JobAction, string> = { pause: 'Pause', resume: 'Resume', cancel: 'Cancel', retry: 'Retry' };

export function BatchPage({ dropped, onDropTaken, command, onHandled }: { dropped: File | null; onDropTaken(): void } & PendingCommand) {
  const { api, fail, notify } = useShell();
  const [models] = useModels();
  const { sources, targets } = useMemo(() => languagesOf(models), [models]);
  const { jobs, samples } = useJobs();
  const [picked, setPicked] = useState<Picked | null>(null);
  const [columns, setColumns] = useState<string[]>([]);
  const [to, setTo] = useState<string[]>(['es']);
  const [from, setFrom] = useState('en');
  const [sheet, setSheet] = useState('');
  const [starting, setStarting] = useState(false);
  /** Why the file just picked cannot be translated (one line, shown where it was dropped). */
  const [refused, setRefused] = useState('');
  const [needsReview, setNeedsReview] = useState(false);
  const shown = needsReview ? jobs.filter((j) => (j.progress.flagged ?? 0) > 0) : jobs;
  const fileInput = useRef<HTMLInputElement>(null);
  /** The job History's "Open job" asked for: scrolled to and marked. */
  const [shownJob, setShownJob] = useState<string | undefined>();
  useEffect(() => {
    const id = takeJobToShow(jobs.map((j) => j.id));
    if (!id) return;
    setNeedsReview(false);
    setShownJob(id);
    requestAnimationFrame(() => document.querySelector(`[data-testid="job-${CSS.escape(id)}"]`)?.scrollIntoView({ block: 'center' }));
  }, [jobs]);

  const pick = async (file: File) => {
    // The file's bytes first: a form is shown only for a file that can be translated.
    setPicked(null);
    const problem = batchFileProblem(file.name, file.size, new Uint8Array(await file.slice(0, FILE_CHECK_BYTES).arrayBuffer()));
    setRefused(problem ?? '');
    if (problem) return;
    let workbook = WORKBOOK.test(file.name);
    if (!SPREADSHEET.test(file.name)) {
      try {
        const units = await api.previewFile({ fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
        if (units.format !== 'csv' && units.format !== 'xlsx') {
          setPicked({ file, rows: null, verdicts: [], units });
          setColumns([]);
          return;
        }
        workbook = units.format === 'xlsx';
      } catch (e) {
        const info = toErrorInfo(e);
        if (info.code === 'BAD_FILE' || info.code === 'BAD_INPUT') setRefused(info.message);
        else fail(e);
        return;
      }
    }
    const preview = workbook ? { rows: null, verdicts: [] } : await readPreview(file);
    if (preview.rows && preview.rows.length < 2) {
      setRefused(preview.rows.length === 0 ? `${file.name} has no rows: there is nothing in it to translate.` : `${file.name} has a header row but no rows under it: there is nothing to translate.`);
      return;
    }
    setPicked({ file, ...preview });
    // The columns a job would take without a choice: prose and labels, as in the CLI and API.
    setColumns(preview.rows?.[0]?.filter((_, i) => preview.verdicts[i]?.translate) ?? []);
  };
  useEffect(() => {
    if (!dropped) return;
    onDropTaken();
    void pick(dropped);
  }, [dropped, onDropTaken]);
  useEffect(() => {
    if (command?.id !== 'file.open') return;
    onHandled();
    fileInput.current?.click();
  }, [command, onHandled]);

  const start = async () => {
    if (!picked) return;
    setStarting(true);
    try {
      const bytes = new Uint8Array(await picked.file.arrayBuffer());
      // "Detect language": each row goes to the model of its own language (docs/detection.md).
      await api.createFileJob({ fileName: picked.file.name, bytes, to, from: from || AUTO_SOURCE, ...(columns.length ? { columns } : {}), ...(sheet ? { sheet } : {}) });
      setPicked(null);
      notify(`Started translating ${picked.file.name}`);
    } catch (e) {
      fail(e);
    } finally {
      setStarting(false);
    }
  };

  const header = picked?.rows?.[0] ?? [];
  const toggle = <T,>(list: T[], item: T) => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);

  return (
    <section className="page batch" aria-labelledby="batch-title">
      <header className="page-header">
        <h1 id="batch-title">Batch</h1>
        <button className="button" onClick={() => fileInput.current?.click()} data-testid="pick-file">
          Choose file…
        </button>
        <input ref={fileInput} type="file" accept={BATCH_FILE_EXTENSIONS.join(',')} hidden onChange={(e) => e.target.files?.[0] && void pick(e.target.files[0])} data-testid="file-input" />
      </header>

      {!picked && refused && (
        <p className="file-problem" role="alert" data-testid="file-problem">
          {refused}
        </p>
      )}
      {!picked && (
        <div className="dropzone" data-testid="dropzone" onClick={() => fileInput.current?.click()}>
          <strong>Drop a CSV, XLSX or PO file anywhere in this window</strong>
          <span className="muted">or click to choose one. Every original cell is kept; a translated column is added next to each one you pick. A catalog comes back as it was, its missing translations filled in.</span>
        </div>
      )}

      {picked && (
        <div className="card" data-testid="batch-setup">
          <div className="card-title">
            <strong data-testid="picked-name">{picked.file.name}</strong>
            <span className="muted">{formatBytes(picked.file.size)}</span>
            <button className="link-button" onClick={() => setPicked(null)}>
              Remove
            </button>
          </div>
          {picked.units ? (
            <div className="table-wrap">
              <p className="muted" data-testid="units-summary">
                {unitsSummary(picked.units.format, picked.units.missing, picked.units.total)}
              </p>
              <table className="preview" data-testid="units-preview">
                <thead>
                  <tr>
                    <th>Text</th>
                    <th>Context</th>
                    <th>Translation now</th>
                  </tr>
                </thead>
                <tbody>
                  {picked.units.units.slice(0, PREVIEW_UNITS).map((u) => (
                    <tr key={u.id}>
                      <td>{u.source}</td>
                      <td className="muted">{u.context ?? ''}</td>
                      <td className="muted">{u.existing ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : picked.rows ? (
            <div className="table-wrap">
              <table className="preview" data-testid="preview">
                <thead>
                  <tr>
                    {header.map((h, i) => {
                      const verdict = picked.verdicts[i];
                      return (
                        <th key={h} data-testid={`column-head-${h}`}>
                          <label>
                            <input type="checkbox" checked={columns.includes(h)} onChange={() => setColumns(toggle(columns, h))} data-testid={`column-${h}`} /> {h}
                          </label>
                          {verdict && (
                            <span className={`column-class column-${verdict.class}`} title={verdict.why} data-testid={`column-class-${h}`}>
                              {classLabel(verdict.class)}
                            </span>
                          )}
                        </th>
                      );
                    })}
                  </tr>
                </thead>
                <tbody>
                  {picked.rows.slice(1).map((row, i) => (
                    <tr key={i}>
                      {row.map((cell, j) => (
                        <td key={j}>{cell}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="muted" data-testid="column-why">
                {describeChoice(header, picked.verdicts)}
              </p>
            </div>
          ) : (
            <div className="form-row">
              <label className="field">
                Sheet <input className="input" value={sheet} onChange={(e) => setSheet(e.target.value)} placeholder="every sheet" />
              </label>
              <label className="field">
                Columns <input className="input" value={columns.join(',')} onChange={(e) => setColumns(e.target.value.split(',').map((s) => s.trim()).filter(Boolean))} placeholder="prose and labels, or e.g. B,C" />
              </label>
              <p className="muted" data-testid="sheet-plan">
                {sheet ? `Only sheet "${sheet}"` : 'Every sheet'}: {columns.length ? `columns ${columns.join(', ')}` : 'the columns that hold prose or short labels (codes, links, numbers and dates are kept as they are)'}.
              </p>
            </div>
          )}
          <div className="form-row">
            <label className="field">
              From <LanguageSelect label="From" value={from} options={sources} onChange={setFrom} emptyLabel="Detect language" testId="batch-from" />
            </label>
            <fieldset className="field targets">
              <legend>Into</legend>
              {targets.map((t) => (
                <label key={t} className="chip">
                  <input type="checkbox" checked={to.includes(t)} onChange={() => setTo(toggle(to, t))} data-testid={`target-${t}`} /> {languageName(t)}
                </label>
              ))}
            </fieldset>
            <button className="button primary" onClick={start} disabled={starting || to.length === 0 || (!!picked.rows && columns.length === 0)} data-testid="start-job">
              {starting ? 'Starting…' : 'Translate'}
            </button>
          </div>
        </div>
      )}

      <div className="section-head">
        <h2 className="section-title">Jobs</h2>
        <label className="chip" title="Only the jobs with rows whose translation carries a review flag">
          <input type="checkbox" checked={needsReview} onChange={(e) => setNeedsReview(e.target.checked)} data-testid="jobs-needs-review" /> Needs review
        </label>
      </div>
      {shown.length === 0 && <p className="muted empty">{jobs.length ? 'No job needs review.' : 'No jobs yet.'}</p>}
      <ul className="jobs" data-testid="jobs">
        {shown.map((job) => (
          <JobCard key={job.id} job={job} samples={samples.get(job.id) ?? []} shown={job.id === shownJob} />
        ))}
      </ul>
    </section>
  );
}

function JobCard({ job, samples, shown }: { job: JobRecord; samples: Sample[]; shown: boolean }) {
  const { api, fail } = useShell();
  const p = job.progress;
  const finished = p.done + p.failed;
  const pct = p.total ? finished / p.total : 0;
  const act = (action: JobAction) => api.jobAction(job.id, action).catch(fail);
  const download = () => api.jobResult(job.id).then(saveFile, fail);
  const [review, setReview] = useState<FlaggedView | null>(null);
  const toggleReview = () => (review ? setReview(null) : api.jobReview(job.id).then((file) => setReview(flaggedView(file)), fail));
  return (
    <li className={`card job ${shown ? 'shown' : ''}`} data-testid={`job-${job.id}`} data-status={job.status} data-shown={shown || undefined}>
      <div className="card-title">
        <strong>{job.input ? fileName(job.input.file) : `${p.total.toLocaleString()} texts`}</strong>
        <span className="muted">
          {job.from === AUTO_SOURCE ? 'any language → ' : job.from ? `${job.from} → ` : ''}
          {job.to.join(', ')}
        </span>
        {job.place === 'team' && (
          <span className="place-team" data-testid="job-team" title="Translated by the team's workers">
            Team
          </span>
        )}
        <span className={`status status-${job.status}`} data-testid="job-status">
          {job.status}
        </span>
      </div>
      <div className="job-body">
        <div className="job-progress">
          <ProgressBar value={pct} failed={p.total ? p.failed / p.total : 0} label={`${job.id} progress`} />
          <div className="job-stats">
            <span data-testid="job-percent">{Math.floor(pct * 100)} %</span>
            <span>
              {finished.toLocaleString()} / {p.total.toLocaleString()}
            </span>
            {job.status === 'running' && <span>{formatRate(p.rate)}</span>}
            {job.status === 'running' && <span>ETA {formatDuration(p.etaSeconds)}</span>}
            {p.cached > 0 && <span>{p.cached.toLocaleString()} cached</span>}
            {p.failed > 0 && <span className="error-text" data-testid="job-failed">{p.failed.toLocaleString()} failed</span>}
            {(p.flagged ?? 0) > 0 && (
              <span className="badge warn" data-testid="job-flagged" title="Rows whose translation carries a review flag: see the review column of the result">
                {p.flagged!.toLocaleString()} to review
              </span>
            )}
          </div>
          {job.error && <div className="error-text">{errorText(job.error)}</div>}
        </div>
        <ThroughputChart samples={samples} />
      </div>
      <div className="job-actions">
        {allowedActions(job.status, p.failed).map((action) => (
          <button key={action} className="button" onClick={() => act(action)} data-testid={`job-${action}`}>
            {ACTION_LABEL[action]}
          </button>
        ))}
        {job.status === 'done' && (p.flagged ?? 0) > 0 && (
          <button className="button" onClick={toggleReview} aria-expanded={!!review} data-testid="job-review">
            {review ? 'Hide rows to review' : 'Show rows to review'}
          </button>
        )}
        {job.status === 'done' && (
          <button className="button primary" onClick={download} data-testid="job-download">
            Download
          </button>
        )}
      </div>
      {review && <FlaggedRows view={review} />}
    </li>
  );
}

/** A job's rows to review: the flagged-only result and, for CSV, its rows to show. */
interface FlaggedView {
  file: FilePayload;
  rows: string[][] | null;
}

const SHOWN_FLAGGED_ROWS = 200;

function flaggedView(file: FilePayload): FlaggedView {
  if (!/\.(csv|tsv|txt)$/i.test(file.fileName)) return { file, rows: null };
  const b = file.bytes;
  const encoding = b[0] === 0xff && b[1] === 0xfe ? 'utf-16le' : b[0] === 0xfe && b[1] === 0xff ? 'utf-16be' : 'utf-8';
  return { file, rows: previewRows(new TextDecoder(encoding).decode(b), SHOWN_FLAGGED_ROWS + 1) };
}

/** The flagged rows as a table (review cells say why, in words, on hover) and their download. */
function FlaggedRows({ view }: { view: FlaggedView }) {
  const [header = [], ...rows] = view.rows ?? [];
  const reviewAt = new Set(header.flatMap((h, i) => (h.endsWith(') review') ? [i] : [])));
  const why = (cell: string) => cell.split(',').map((f) => FLAG_LABELS[f as TranslationFlag] ?? f).join('; ');
  return (
    <div className="flagged" data-testid="review-panel">
      {view.rows ? (
        <div className="table-wrap">
          <table className="preview" data-testid="review-rows">
            <thead>
              <tr>
                {header.map((h, i) => (
                  <th key={i}>{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => (
                    <td key={j} className={reviewAt.has(j) && cell ? 'review-cell' : undefined} title={reviewAt.has(j) && cell ? why(cell) : undefined}>
                      {cell}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">The rows to review are in the download ({view.file.fileName}).</p>
      )}
      <button className="button" onClick={() => saveFile(view.file)} data-testid="job-review-download">
        Download only these rows
      </button>
    </div>
  );
}

/** What the pre-ticked columns are, and why the others are left as they are. */
function describeChoice(header: readonly string[], verdicts: readonly ColumnVerdict[]): string {
  const left = verdicts.flatMap((v, i) => (v.translate ? [] : [`${header[i]} (${v.why})`]));
  return `Ticked: the columns that hold prose or labels.${left.length ? ` Left as they are: ${left.join(', ')}.` : ''}`;
}

/** The file's own name, not the path it has where it was translated (an upload folder on the server). */
function fileName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** What a localization file's job will do, in the format's own words: PO entries, XLIFF units, JSON strings, subtitle cues. */
function unitsSummary(format: string, missing: number, total: number): string {
  const noun = ({ po: 'entries', xliff: 'units', json: 'strings', srt: 'cues', vtt: 'cues' } as Record<string, string>)[format] ?? 'entries';
  const name = format === 'vtt' ? 'WebVTT' : format.toUpperCase();
  if (missing === total) return `${name}: ${total} ${noun} to translate.`;
  return `${name}: ${missing} of ${total} ${noun} to translate; the others keep their translation.`;
}
