// A fake `electron` for running the app's real main (out/main/index.js) in plain Node: the window
// APIs the main uses (app, BrowserWindow, ipcMain, Menu, session, shell) as inert objects, and
// `utilityProcess.fork` as the stand-in the host tests use (a Node child with `process.parentPort`).
// Loaded in place of the real module by register.mjs. When the test forks the app with an IPC
// channel, that channel plays the renderer and the user: `{kind: 'invoke', id, channel, args}`
// calls an ipcMain handler as the window's page would and answers `{kind: 'reply', id, value}`
// (or `error`, as Electron's "No handler registered"); `{kind: 'quit'}` quits as Cmd+Q does.
import { EventEmitter } from 'node:events';
import { forkUtility } from '../utility-process.mjs';

class FakeApp extends EventEmitter {
  isReady() {
    return true;
  }
  whenReady() {
    return Promise.resolve();
  }
  requestSingleInstanceLock() {
    return true;
  }
  /** As Electron's: 'before-quit' may be prevented; otherwise the app quits and the process exits. */
  quit() {
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.emit('will-quit', { preventDefault: () => {} });
    this.emit('quit', {}, 0);
    process.exit(0);
  }
}

export const app = new FakeApp();

let nextWebContentsId = 1;

class FakeWebContents extends EventEmitter {
  id = nextWebContentsId++;
  url = '';
  destroyed = false;
  send() {}
  setWindowOpenHandler() {}
  isDestroyed() {
    return this.destroyed;
  }
}

const windows = [];

export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new FakeWebContents();
    windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url) {
    this.webContents.url = url;
    setImmediate(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }
  show() {}
  focus() {}
  restore() {}
  isMinimized() {
    return false;
  }
  isDestroyed() {
    return false;
  }
  static getAllWindows() {
    return [...windows];
  }
}

const handlers = new Map();

export const ipcMain = {
  handle(channel, handler) {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, handler);
  },
  removeHandler(channel) {
    handlers.delete(channel);
  },
};

export const Menu = {
  buildFromTemplate: (template) => ({ items: template }),
  setApplicationMenu() {},
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler() {},
    webRequest: { onHeadersReceived() {} },
  },
};

export const shell = { openExternal: () => Promise.resolve() };

export const utilityProcess = { fork: forkUtility };

/** A call from the last window's page, as its webContents and main frame would send it. */
async function invoke(channel, args) {
  const handler = handlers.get(channel);
  const win = windows.at(-1);
  if (!handler || !win) throw new Error(`No handler registered for '${channel}'`);
  const event = { sender: { id: win.webContents.id }, senderFrame: { url: win.webContents.url } };
  return handler(event, ...args);
}

if (process.send) {
  process.on('message', (message) => {
    if (message.kind === 'quit') app.quit();
    else if (message.kind === 'invoke') {
      invoke(message.channel, message.args).then(
        (value) => process.send({ kind: 'reply', id: message.id, value }),
        (error) => process.send({ kind: 'reply', id: message.id, error: error.message }),
      );
    }
  });
  // The channel stays referenced: it keeps the app running until it quits, as Electron's own
  // event loop does.
}
