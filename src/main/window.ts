// The one window: sandboxed, isolated, no Node, navigation and new windows refused.
import { BrowserWindow, shell } from 'electron';
import { fileURLToPath } from 'node:url';
import { isExternalLink, isOwnPage, type TrustedOrigin } from './security.js';

export function trustedOrigin(): TrustedOrigin {
  const indexUrl = new URL('../renderer/index.html', import.meta.url).href;
  const dev = process.env.ELECTRON_RENDERER_URL;
  return dev ? { indexUrl, devServerUrl: dev } : { indexUrl };
}

export function createMainWindow(origin: TrustedOrigin): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 820,
    minWidth: 720,
    minHeight: 520,
    show: false,
    title: 'Parla',
    backgroundColor: '#f6f5f2',
    webPreferences: {
      preload: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.on('will-navigate', (event, url) => {
    if (!isOwnPage(url, origin)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (!isOwnPage(url, origin)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void (origin.devServerUrl ? win.loadURL(origin.devServerUrl) : win.loadURL(origin.indexUrl));
  return win;
}
