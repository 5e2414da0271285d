// The shell: navigation, theme, notices, window-wide file drop, and commands (menu in the desktop
// app, keyboard shortcuts in a browser) from the shared command table.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ParlaApi } from '../shared/api.js';
import type { ParlaBridge } from '../shared/bridge.js';
import { browserCommandForKey, type CommandId, type Page } from '../shared/commands.js';
import { toErrorInfo } from '../shared/errors.js';
import type { Health, Theme } from '../shared/settings.js';
import { ShellContext, type Shell } from './app-context.js';
import { Icon } from './components/Icon.js';
import { isMac, withShortcut } from './lib/shortcuts.js';
import { mayLeave } from './lib/leave-guard.js';
import { BatchPage } from './pages/BatchPage.js';
import { GlossaryPage } from './pages/GlossaryPage.js';
import { HistoryPage } from './pages/HistoryPage.js';
import { ModelsPage } from './pages/ModelsPage.js';
import { SettingsPage } from './pages/SettingsPage.js';
import { TranslatePage, type TranslatePrefill } from './pages/TranslatePage.js';

const NAV: { page: Page; label: string }[] = [
  { page: 'translate', label: 'Translate' },
  { page: 'batch', label: 'Batch' },
  { page: 'history', label: 'History' },
  { page: 'glossary', label: 'Glossary' },
  { page: 'models', label: 'Models' },
  { page: 'settings', label: 'Settings' },
];


function resolveTheme(theme: Theme): 'light' | 'dark' {
  if (theme !== 'system') return theme;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function App({ api, bridge }: { api: ParlaApi; bridge: ParlaBridge | undefined }) {
  const [page, setPage] = useState<Page>(() => (location.hash.slice(1) as Page) || 'translate');
  const [prefill, setPrefill] = useState<TranslatePrefill | undefined>();
  const [dropped, setDropped] = useState<File | null>(null);
  const [theme, setTheme] = useState<Theme>('system');
  const [notice, setNotice] = useState<{ text: string; kind: 'info' | 'error'; n: number } | null>(null);
  const [unauthorized, setUnauthorized] = useState(false);
  const [health, setHealth] = useState<Health | null>(null);
  // A command for a page waits here until that page has handled it (pages may mount after it).
  const [pending, setPending] = useState<{ id: CommandId; n: number } | null>(null);
  const handled = useCallback(() => setPending(null), []);
  const takeDrop = useCallback(() => setDropped(null), []);
  // A prefill is used once: coming back to Translate later shows the draft, not the old prefill.
  const takePrefill = useCallback(() => setPrefill(undefined), []);
  const [dragging, setDragging] = useState(false);

  const go = useCallback((next: Page, fill?: TranslatePrefill) => {
    // A page with unsaved edits asks first (and goes itself once the person chose).
    if (!mayLeave(next)) return;
    if (fill) setPrefill(fill);
    setPage(next);
    history.replaceState(null, '', `#${next}`);
  }, []);
  const notify = useCallback((text: string, kind: 'info' | 'error' = 'info') => setNotice((n) => ({ text, kind, n: (n?.n ?? 0) + 1 })), []);
  const fail = useCallback(
    (error: unknown) => {
      const info = toErrorInfo(error);
      if (info.code === 'UNAUTHORIZED') setUnauthorized(true);
      else notify(info.message, 'error');
    },
    [notify],
  );
  const shell = useMemo<Shell>(() => ({ api, go, notify, fail }), [api, go, notify, fail]);

  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), notice.kind === 'error' ? 6000 : 2500);
    return () => clearTimeout(t);
  }, [notice]);

  useEffect(() => {
    document.documentElement.dataset.theme = resolveTheme(theme);
  }, [theme]);
  useEffect(() => {
    api.getSettings().then((s) => setTheme(s.theme), fail);
    const poll = () => api.health().then(setHealth, () => setHealth(null));
    poll();
    const t = setInterval(poll, 10_000);
    return () => clearInterval(t);
  }, [api, fail]);

  const run = useCallback(
    (id: CommandId) => {
      if (id.startsWith('go.')) return go(id.slice(3) as Page);
      if (id === 'view.theme') return setTheme((t) => (resolveTheme(t) === 'dark' ? 'light' : 'dark'));
      if (id === 'file.open') go('batch');
      if (id === 'history.search') go('history');
      setPending((p) => ({ id, n: (p?.n ?? 0) + 1 }));
    },
    [go],
  );

  useEffect(() => {
    if (bridge) return bridge.onCommand(run);
    // In a browser tab, the browser's own keys (Ctrl+F find, Ctrl+1 tabs…) stay the browser's.
    const onKey = (e: KeyboardEvent) => {
      const id = browserCommandForKey(e, isMac);
      if (!id) return;
      e.preventDefault();
      run(id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [bridge, run]);

  useEffect(() => {
    const over = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      setDragging(true);
    };
    const leave = (e: DragEvent) => e.relatedTarget === null && setDragging(false);
    const drop = (e: DragEvent) => {
      e.preventDefault();
      setDragging(false);
      const file = e.dataTransfer?.files[0];
      if (!file) return;
      // Any file goes to the Batch page, which looks at its content and says in place what is wrong with it.
      setDropped(file);
      go('batch');
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [go]);

  if (unauthorized) {
    return (
      <main className="auth-error" data-testid="auth-error">
        <h1>Parla needs its token</h1>
        <p>This browser is not signed in to this Parla server: it was opened without the link&apos;s token, or the server now uses another one.</p>
        <ol>
          <li>
            Find the terminal where <code>parla serve</code> runs: the first line it printed is the link to open, <code>http://127.0.0.1:PORT/?token=…</code>.
          </li>
          <li>
            Not running? Start it with <code>npx parla serve</code> and open the link it prints.
          </li>
        </ol>
        <p className="muted">The token is kept in the data folder, in the file <code>serve-token</code>.</p>
      </main>
    );
  }

  return (
    <ShellContext.Provider value={shell}>
      <div className={`app ${dragging ? 'dragging' : ''}`}>
        <nav className="sidebar" aria-label="Pages">
          <div className="brand">Parla</div>
          {NAV.map((n) => (
            <button key={n.page} className={`nav-item ${page === n.page ? 'active' : ''}`} onClick={() => go(n.page)} data-testid={`nav-${n.page}`} title={withShortcut(n.label, `go.${n.page}`)} aria-current={page === n.page ? 'page' : undefined}>
              <span className="nav-icon">
                <Icon name={n.page} />
              </span>
              <span className="nav-label">{n.label}</span>
            </button>
          ))}
          <div className="spacer" />
          <div className="health muted" data-testid="health">
            {/* An idle host (none running until the first translation) is as ready as a running one. */}
            <span className={`dot ${health?.ok && (health.modelHost === 'ready' || health.modelHost === 'idle') ? 'ok' : 'warn'}`} />
            <span className="nav-label">{health ? `${health.modelHost === 'ready' || health.modelHost === 'idle' ? 'Ready' : `Model host ${health.modelHost}`} · ${health.mode === 'team' ? 'team' : 'local'}` : 'Connecting…'}</span>
          </div>
        </nav>
        <main className="content">
          {page === 'translate' && <TranslatePage prefill={prefill} onPrefillTaken={takePrefill} command={pending} onHandled={handled} />}
          {page === 'batch' && <BatchPage dropped={dropped} onDropTaken={takeDrop} command={pending} onHandled={handled} />}
          {page === 'history' && <HistoryPage command={pending} onHandled={handled} />}
          {page === 'glossary' && <GlossaryPage />}
          {page === 'models' && <ModelsPage />}
          {page === 'settings' && <SettingsPage onTheme={setTheme} />}
        </main>
        {dragging && (
          <div className="drop-overlay" aria-hidden>
            Drop the spreadsheet to translate it
          </div>
        )}
        {notice && (
          <div className={`toast ${notice.kind}`} role="status" data-testid="toast">
            {notice.text}
          </div>
        )}
      </div>
    </ShellContext.Provider>
  );
}
