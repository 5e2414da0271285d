// Team mode, cache, threads, data folder, theme, API keys. Saves a patch; the services validate it.
import { useEffect, useState } from 'react';
import type { CacheStats } from '../../shared/cache.js';
import type { Settings, TeamConnectionTest, TeamStatus, Theme } from '../../shared/settings.js';
import type { ModelInfo } from '../../shared/translation.js';
import { THEMES } from '../../shared/settings.js';
import { useShell } from '../app-context.js';
import { useModels } from '../hooks.js';
import { formatBytes } from '../lib/format.js';
import { ApiKeysCard } from './ApiKeysCard.js';

export function SettingsPage({ onTheme }: { onTheme(theme: Theme): void }) {
  const { api, fail, notify } = useShell();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [status, setStatus] = useState<TeamStatus | null>(null);
  const [stats, setStats] = useState<CacheStats | null>(null);
  const [test, setTest] = useState<TeamConnectionTest | 'testing' | null>(null);
  const [models] = useModels();

  useEffect(() => {
    api.getSettings().then(setSettings, fail);
    api.teamStatus().then(setStatus, fail);
    api.cacheStats().then(setStats, fail);
  }, [api, fail]);

  if (!settings) return <section className="page" />;
  const edit = (patch: Partial<Settings>) => setSettings({ ...settings, ...patch });

  const save = async () => {
    try {
      const saved = await api.setSettings(settings);
      setSettings(saved);
      onTheme(saved.theme);
      setStatus(await api.teamStatus());
      notify('Settings saved');
    } catch (e) {
      fail(e);
    }
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
        <button className="button primary" onClick={save} data-testid="settings-save">
          Save
        </button>
      </header>

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
            <input className="input" type="number" min={0} value={settings.cache.maxEntries} onChange={(e) => edit({ cache: { ...settings.cache, maxEntries: Number(e.target.value) } })} data-testid="cache-size" />
          </label>
          <label className="field">
            Keep for (days)
            <input className="input" type="number" min={0} value={settings.cache.ttlDays} onChange={(e) => edit({ cache: { ...settings.cache, ttlDays: Number(e.target.value) } })} data-testid="cache-ttl" />
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
            <input
              className="input"
              type="number"
              min={50}
              max={100}
              value={Math.round(settings.memory.threshold * 100)}
              onChange={(e) => edit({ memory: { ...settings.memory, threshold: Number(e.target.value) / 100 } })}
              data-testid="memory-threshold"
            />
          </label>
        </div>
      </div>

      <div className="card form">
        <h2 className="section-title">Engine and storage</h2>
        <div className="form-row">
          <label className="field">
            Threads (0 = all cores; for models loaded next)
            <input className="input" type="number" min={0} max={256} value={settings.threads} onChange={(e) => edit({ threads: Number(e.target.value) })} data-testid="threads" />
          </label>
          <label className="field">
            Memory budget for models (MB, 0 = none)
            <input
              className="input"
              type="number"
              min={0}
              value={settings.memoryBudgetMB}
              onChange={(e) => edit({ memoryBudgetMB: Number(e.target.value) })}
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
