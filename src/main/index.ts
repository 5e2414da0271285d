// Electron main: one instance, one window, the menu from the command table, the model host as a
// utilityProcess, and ParlaApi over validated IPC.
import { app, BrowserWindow, ipcMain, Menu, session, utilityProcess, type MenuItemConstructorOptions } from 'electron';
import hostModulePath from '../workers/host/main?modulePath';
import { COMMAND_CHANNEL } from '../shared/commands.js';
import { registerIpc } from './ipc-router.js';
import { menuTemplate } from './menu.js';
import { appHealth } from './app-health.js';
import { appDataDir } from './data-dir.js';
import { ModelHostProcess } from './model-host.js';
import { closeForQuit } from './quit.js';
import { openParlaApi, type LocalApi } from '../core/api/local-api.js';
import { hostSocketPath } from '../core/host/socket-dir.js';
import { APP_CSP, isOwnPage } from './security.js';
import { createMainWindow, trustedOrigin } from './window.js';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let win: BrowserWindow | undefined;
  const origin = trustedOrigin();
  // The CLI's data dir, so the app shares its cache, history, jobs and model host.
  const dataDir = appDataDir(process.argv.slice(1));
  // The same socket host the CLI and `parla serve` use, so every door shares one model load. When
  // one already serves (the CLI's), the app's host leaves at once and the app's clients use that one.
  const host = new ModelHostProcess({
    modulePath: hostModulePath,
    dataDir,
    args: ['--socket', hostSocketPath(dataDir)],
    fork: (path, args, options) => utilityProcess.fork(path, args, options),
  });
  let api: LocalApi | undefined;

  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isOwnPage(url, origin)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  void app.whenReady().then(async () => {
    const services = await openParlaApi({ dataDir, door: 'app' });
    api = services;
    session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'clipboard-sanitized-write'));
    session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } }),
    );
    host.start();
    win = createMainWindow(origin);
    const send = (channel: string, payload: unknown) => {
      if (win && !win.isDestroyed()) win.webContents.send(channel, payload);
    };
    registerIpc({
      ipcMain,
      api: { ...services, health: async () => appHealth(await services.health(), host.state) },
      send,
      isTrusted: (event) => event.sender.id === win?.webContents.id && !!event.senderFrame && isOwnPage(event.senderFrame.url, origin),
      onRejected: (method, reason) => console.warn(`parla: refused IPC ${method}: ${reason}`),
    });
    const template = menuTemplate((id) => send(COMMAND_CHANNEL, id), process.platform === 'darwin');
    Menu.setApplicationMenu(Menu.buildFromTemplate(template as MenuItemConstructorOptions[]));
  });

  app.on('window-all-closed', () => app.quit());
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void closeForQuit(api, host, (line) => console.warn(line)).finally(() => app.quit());
  });
}
