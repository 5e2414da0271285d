// Team mode, cache, threads, data folder, theme, API keys. Saves a patch; the services validate it.
// Edits not saved yet are said so, and kept from being lost: leaving the page asks first, and so
// does closing or reloading the window (beforeunload). Errors name fields as this page labels them.
import { useEffect, useRef, useState } from 'react';
import type { CacheStats } from '../../shared/cache.js';
import type { Page } from '../../shared/commands.js';
import { toErrorInfo } from '../../shared/errors.js';
import type { Settings, SettingsField, TeamConnectionTest, TeamStatus, Theme } from '../../shared/settings.js';
import type { ModelInfo } from '../../shared/translation.js';
import { labelSettingsMessage, SETTINGS_LABELS, THEMES } from '../../shared/settings.js';
import { useShell } from '../app-context.js';
import { useModels } from '../hooks.js';
import { formatBytes } from '../lib/format.js';
import { guardLeaving } from '../lib/leave-guard.js';
import { NumberField } from '../components/NumberField.js';
import { ApiKeysCard } from './ApiKeysCard.js';

export function SettingsPage({ onTheme }: { onTheme(theme: Theme): void }) {
  const { api, fail, go, notify } = useShell();
  const [settings, setSettings] = useState<Settings | null>(null);
  /** The settings as stored: what "unsaved" is measured against. */
  const [stored, setStored] = useState<Settings | null>(null);
  /** Why the last save was refused, fields named as labelled here. */
  const [problem, setProblem] = useState('');
  /** The page the person tried to go to with edits unsaved: the question is shown while set. */
  const [leavingFor, setLeavingFor] = useState<Page | null>(null);
  const dirty = !!settings && !!stored && JSON.stringify(settings) !== JSON.stringify(stored);
  const dirtyNow = useRef(dirty);
  dirtyNow.current = dirty;
  /** Set once the person chose to leave (saved or not): the guard lets that navigation through. */
  const leaving = useRef(false);
  const [status, setStatus] = useState<TeamStatus | null>(null);
  const [stats, setStats] = useState<CacheStats | null>(null);
  const [test, setTest] = useState<TeamConnectionTest | 'testing' | null>(null);
  const [models] = useModels();

  useEffect(
    () =>
      guardLeaving((next) => {
        if (!dirtyNow.current || leaving.current) return true;
        setLeavingFor(next);
        return false;
      }),
    [],
  );
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = ''; // older browsers show the question only when this is set
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  useEffect(() => {
    api.getSettings().then((s) => {
      setSettings(s);
      setStored(s);
    }, fail);
    api.teamStatus().then(setStatus, fail);
    api.cacheStats().then(setStats, fail);
  }, [api, fail]);

  if (!settings) return <section className="page" />;
  const edit = (patch: Partial<Settings>) => setSettings({ ...settings, ...patch });

  /** Saves; false (with the reason shown above the form) when the services refused the edits. */
  const save = async (): Promise<boolean> => {
    const empty = emptyNumberField(settings);
    if (empty) {
      setProblem(`${SETTINGS_LABELS[empty]} needs a number.`);
      return false;
    }
    const threshold = Math.round(settings.memory.threshold * 100);
    if (!(threshold >= 50 && threshold <= 100)) {
      setProblem(`${SETTINGS_LABELS['memory.threshold']} must be from 50 to 100.`);
      return false;
    }
    const minConfidence = Math.round(settings.review.minConfidence * 100);
    if (!(minConfidence >= 0 && minConfidence <= 100)) {
      setProblem(`${SETTINGS_LABELS['review.minConfidence']} must be from 0 to 100.`);
      return false;
    }
    try {
      const saved = await api.setSettings(settings);
      setSettings(saved);
      setStored(saved);
      setProblem('');
      onTheme(saved.theme);
      setStatus(await api.teamStatus());
      notify('Settings saved');
      return true;
    } catch (e) {
      const info = toErrorInfo(e);
      if (info.code === 'BAD_INPUT') setProblem(`${labelSettingsMessage(info.message)}.`.replace(/\.\.$/u, '.'));
      else fail(e);
      return false;
    }
  };
  const leave = async (how: 'save' | 'discard') => {
    const next = leavingFor;
    if (!next) return;
    if (how === 'save' && !(await save())) {
      setLeavingFor(null);
      return;
    }
    if (how === 'discard' && stored) onTheme(stored.theme); // a theme tried, not saved, goes too
    leaving.current = true;
    go(next);
  };
  const testTeam = async () => {
    setTest('testing');
    setTest(await api.testTeamConnection(settings.team).catch((e: unknown) => ({ ok: false, error: { code: 'INTERNAL', message: String(e) } })));
  };
  const clear = async () => {
    const { cleared } = await api.clearCache();
    notify(`Cleared ${cleared.toLocaleString()} cached translations`);
    setStats(await api.cacheStats());
  };

  return (
    <section className="page settings" aria-labelledby="settings-title">
      <header className="page-header">
        <h1 id="settings-title">Settings</h1>
        <div className="spacer" />
        {dirty && (
          <span className="unsaved" data-testid="settings-unsaved">
            Unsaved changes
          </span>
        )}
        <button className="button primary" onClick={() => void save()} data-testid="settings-save">
          Save
        </button>
      </header>
      {leavingFor && (
        <div className="card leave-question" role="alertdialog" aria-labelledby="leave-title" data-testid="settings-leave">
          <strong id="leave-title">Your changes to the settings are not saved.</strong>
          <p className="muted">Save them before you go, or leave them behind.</p>
          <div className="form-row">
            <button className="button primary" onClick={() => void leave('save')} data-testid="settings-leave-save">
              Save and continue
            </button>
            <button className="button danger" onClick={() => void leave('discard')} data-testid="settings-leave-discard">
              Leave without saving
            </button>
            <button className="button" onClick={() => setLeavingFor(null)} data-testid="settings-leave-stay">
              Stay here
            </button>
          </div>
        </div>
      )}
      {problem && (
        <p className="file-problem" role="alert" data-testid="settings-error">
          {problem}
        </p>
      )}

      <div className="card form">
        <h2 className="section-title">Team mode</h2>
        <p className="muted">Share one cache and one job queue with your team through Redis. Leave empty to work alone.</p>
        <div className="form-row">
          <label className="field grow">
            Redis URL
            <input className="input" value={settings.team.redisUrl} placeholder="redis://cache.example:6379" onChange={(e) => edit({ team: { ...settings.team, redisUrl: e.target.value } })} data-testid="team-url" />
          </label>
          <label className="field">
            Team
            <input className="input" value={settings.team.name} placeholder="localisation" onChange={(e) => edit({ team: { ...settings.team, name: e.target.value } })} data-testid="team-name" />
          </label>
          <button className="button" onClick={testTeam} disabled={!settings.team.redisUrl || test === 'testing'} data-testid="team-test">
            Test connection
          </button>
        </div>
        <div className="status-line" data-testid="team-status">
          {test && test !== 'testing' && (test.ok ? <span className="ok-text">Connected in {test.latencyMs} ms</span> : <span className="error-text">{test.error?.message}</span>)}
          {status && (
            <span className="muted">
              Now: {status.mode === 'team' ? `team "${status.team}", ${status.connected ? 'connected' : 'offline'}${status.workers !== undefined ? `, ${status.workers} workers` : ''}` : 'working alone'}
            </span>
          )}
        </div>
      </div>

      <div className="card form">
        <h2 className="section-title">Cache</h2>
        <div className="form-row">
          <label className="field">
            Max entries
            <NumberField min={0} value={settings.cache.maxEntries} onValue={(maxEntries) => edit({ cache: { ...settings.cache, maxEntries } })} data-testid="cache-size" />
          </label>
          <label className="field">
            Keep for (days)
            <NumberField min={0} value={settings.cache.ttlDays} onValue={(ttlDays) => edit({ cache: { ...settings.cache, ttlDays } })} data-testid="cache-ttl" />
          </label>
          <div className="field grow muted" data-testid="cache-stats">
            {stats && `${stats.entries.toLocaleString()} entries · ${formatBytes(stats.bytes)} · ${Math.round(stats.hitRate * 100)} % hits`}
          </div>
          <button className="button danger" onClick={() => void clear().catch(fail)} data-testid="cache-clear">
            Clear cache
          </button>
        </div>
      </div>

      <div className="card form">
        <h2 className="section-title">Translation memory</h2>
        <div className="form-row">
          <label className="field grow">
            Your name (saved with your corrections; empty = your user name)
            <input className="input" value={settings.memory.author} onChange={(e) => edit({ memory: { ...settings.memory, author: e.target.value } })} data-testid="memory-author" />
          </label>
          <label className="field">
            Suggest from (% similar)
            <NumberField
              min={50}
              max={100}
              value={Math.round(settings.memory.threshold * 100)}
              onValue={(percent) => edit({ memory: { ...settings.memory, threshold: percent / 100 } })}
              data-testid="memory-threshold"
            />
          </label>
        </div>
      </div>

      <div className="card form">
        <h2 className="section-title">Review</h2>
        <p className="muted">Translations the model is less sure of are marked "needs review" on the Translate page, in History and in batch review columns.</p>
        <div className="form-row">
          <label className="field">
            {SETTINGS_LABELS['review.minConfidence']}
            <NumberField
              min={0}
              max={100}
              value={Math.round(settings.review.minConfidence * 100)}
              onValue={(percent) => edit({ review: { minConfidence: percent / 100 } })}
              data-testid="review-min-confidence"
            />
          </label>
        </div>
      </div>

      <div className="card form">
        <h2 className="section-title">Engine and storage</h2>
        <div className="form-row">
          <label className="field">
            Threads (0 = all cores; for models loaded next)
            <NumberField min={0} max={256} value={settings.threads} onValue={(threads) => edit({ threads })} data-testid="threads" />
          </label>
          <label className="field">
            Memory budget for models (MB, 0 = none)
            <NumberField
              min={0}
              value={settings.memoryBudgetMB}
              onValue={(memoryBudgetMB) => edit({ memoryBudgetMB })}
              aria-describedby="model-memory-measured"
              data-testid="memory-budget"
            />
          </label>
          <label className="field grow">
            Data folder
            <input className="input" value={settings.dataDir} onChange={(e) => edit({ dataDir: e.target.value })} data-testid="data-dir" />
          </label>
        </div>
        <p className="muted" id="model-memory-measured" data-testid="model-memory-measured">
          {measuredMemory(models) || 'Each model’s memory is measured the first time the model host loads it.'} Idle models are unloaded, least recently used first, when the next one would not fit.
        </p>
      </div>

      <ApiKeysCard />

      <div className="card form">
        <h2 className="section-title">Appearance</h2>
        <div className="segmented" role="radiogroup" aria-label="Theme">
          {THEMES.map((t) => (
            <label key={t} className={settings.theme === t ? 'active' : ''}>
              <input
                type="radio"
                name="theme"
                value={t}
                checked={settings.theme === t}
                onChange={() => {
                  edit({ theme: t });
                  onTheme(t);
                }}
                data-testid={`theme-${t}`}
              />
              {t === 'system' ? 'Match system' : t === 'light' ? 'Light' : 'Dark'}
            </label>
          ))}
        </div>
      </div>
    </section>
  );
}

/** `Models in memory, as measured: Xenova/opus-mt-en-de 310 MB (int8), …` or '' when none was. */
function measuredMemory(models: ModelInfo[]): string {
  const parts = models.flatMap((m) => (['fp32', 'int8'] as const).flatMap((p) => (m.memory?.[p] ? [`${m.id} ${formatBytes(m.memory[p])} (${p})`] : [])));
  return parts.length ? `Models in memory, as measured: ${parts.join(', ')}.` : '';
}

/** The first number field left empty (NaN), in page order: saving it would store nonsense. */
function emptyNumberField(settings: Settings): SettingsField | undefined {
  const fields: [SettingsField, number][] = [
    ['cache.maxEntries', settings.cache.maxEntries],
    ['cache.ttlDays', settings.cache.ttlDays],
    ['memory.threshold', settings.memory.threshold],
    ['review.minConfidence', settings.review.minConfidence],
    ['threads', settings.threads],
    ['memoryBudgetMB', settings.memoryBudgetMB],
  ];
  return fields.find(([, value]) => Number.isNaN(value))?.[0];
}
