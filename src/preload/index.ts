// The preload: exposes the typed bridge as `window.parla` (contextIsolation on, sandboxed).
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge.js';

contextBridge.exposeInMainWorld('parla', createBridge(ipcRenderer, process.platform));
