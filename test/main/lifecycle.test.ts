import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { appHealth } from '../../src/main/app-health.js';
import { menuTemplate } from '../../src/main/menu.js';
import { closeForQuit } from '../../src/main/quit.js';
import { ModelHostProcess, type HostExit, type UtilityProcessLike } from '../../src/main/model-host.js';
import { isExternalLink, isOwnPage } from '../../src/main/security.js';
import { COMMANDS, commandForKey } from '../../src/shared/commands.js';
import type { Health } from '../../src/shared/settings.js';
import { HOST_NODE_ARGS } from '../../src/core/host/host-runtime.js';

class FakeChild extends EventEmitter implements UtilityProcessLike {
  static count = 0;
  readonly pid = ++FakeChild.count;
  messages: unknown[] = [];
  constructor(private readonly obeysShutdown: boolean) {
    super();
  }
  postMessage(message: unknown) {
    this.messages.push(message);
    if (this.obeysShutdown && (message as { type?: string }).type === 'shutdown') setTimeout(() => this.emit('exit', 0), 5);
  }
  kill() {
    setTimeout(() => this.emit('exit', 137), 1);
    return true;
  }
}

function host(obeys = true) {
  const children: FakeChild[] = [];
  const exits: HostExit[] = [];
  const h = new ModelHostProcess({
    modulePath: '/app/host.js',
    dataDir: '/data',
    maxRestarts: 2,
    fork: (path, args, options) => {
      expect(path).toBe('/app/host.js');
      expect(args).toEqual(['--data-dir', '/data']);
      expect(options.env.PARLA_DATA_DIR).toBe('/data');
      // The host's runtime setup (host-runtime.ts) goes with it, as with the CLI's spawn.
      expect(options.execArgv).toEqual([...HOST_NODE_ARGS]);
      const c = new FakeChild(obeys);
      children.push(c);
      return c;
    },
  });
  h.onExit((e) => exits.push(e));
  return { h, children, exits };
}

describe('model host process', () => {
  it('restarts after a crash, with backoff, and gives up after too many', async () => {
    const { h, children, exits } = host();
    h.start();
    h.start(); // idempotent
    expect(children).toHaveLength(1);
    children[0]!.emit('exit', 1);
    expect(exits[0]).toEqual({ kind: 'crashed', code: 1, restarting: true });
    await expect.poll(() => children.length).toBe(2);
    children[1]!.emit('exit', 1);
    await expect.poll(() => children.length, { timeout: 2000 }).toBe(3);
    children[2]!.emit('exit', 1);
    expect(exits.at(-1)).toEqual({ kind: 'crashed', code: 1, restarting: false });
    expect(h.running).toBe(false);
  });

  it('stops by asking first, and kills a host that does not listen', async () => {
    const polite = host(true);
    polite.h.start();
    await polite.h.stop(1000);
    expect(polite.children[0]!.messages).toEqual([{ type: 'shutdown' }]);
    expect(polite.exits).toEqual([{ kind: 'stopped', reason: 'shutdown' }]);

    const stubborn = host(false);
    stubborn.h.start();
    const t0 = Date.now();
    await stubborn.h.stop(50);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(stubborn.exits).toEqual([{ kind: 'stopped', reason: 'shutdown' }]);
    expect(stubborn.children).toHaveLength(1); // a requested stop is not a crash
  });

  it('takes an exit 0 for a normal stop, with the reason the host gave, and does not restart', async () => {
    const { h, children, exits } = host();
    h.start();
    children[0]!.emit('message', { type: 'ready', pid: 1, socket: '/s' });
    expect(h.state).toBe('ready');
    children[0]!.emit('message', { type: 'exiting', reason: 'served-elsewhere', socket: '/s' });
    children[0]!.emit('exit', 0);
    expect(exits).toEqual([{ kind: 'stopped', reason: 'served-elsewhere' }]);
    expect(h.state).toBe('served-elsewhere');
    h.start();
    children[1]!.emit('exit', 0); // no word from it: it went idle
    expect(exits.at(-1)).toEqual({ kind: 'stopped', reason: 'idle' });
    expect(h.state).toBe('stopped');
    await new Promise((r) => setTimeout(r, 300));
    expect(children).toHaveLength(2);
  });
});

describe('quit and health in the app', () => {
  it('closes the API before stopping the host, and stops the host when closing fails', async () => {
    const steps: string[] = [];
    const { h, children } = host();
    h.start();
    const stop = h.stop.bind(h);
    h.stop = async () => {
      steps.push('host');
      await stop(1000);
    };
    const warnings: string[] = [];
    await closeForQuit({ close: async () => void steps.push('api') }, h, (l) => warnings.push(l));
    expect(steps).toEqual(['api', 'host']);
    expect(children[0]!.messages).toEqual([{ type: 'shutdown' }]);
    await closeForQuit({ close: () => Promise.reject(new Error('disk gone')) }, h, (l) => warnings.push(l));
    expect(steps).toEqual(['api', 'host', 'host']);
    expect(warnings).toEqual(['parla: closing failed: disk gone']);
  });

  it("adds the app's own host to the core's health: starting or crashed, unless a host answers", () => {
    const core: Health = { ok: true, version: '1.2.3', modelHost: 'idle', mode: 'solo' };
    expect(appHealth(core, 'starting')).toEqual({ ...core, modelHost: 'starting' });
    expect(appHealth(core, 'crashed')).toEqual({ ...core, ok: false, modelHost: 'crashed' });
    expect(appHealth(core, 'served-elsewhere')).toEqual(core);
    const ready: Health = { ...core, modelHost: 'ready', host: { pid: 7, models: ['parla/tiny-en-es'], modelStates: [{ id: 'parla/tiny-en-es', state: 'ready', quantized: false }] } };
    expect(appHealth(ready, 'served-elsewhere')).toEqual(ready);
  });
});

describe('security', () => {
  const origin = { indexUrl: 'file:///opt/Parla/resources/app.asar/out/renderer/index.html' };
  it('trusts only our own renderer page', () => {
    expect(isOwnPage('file:///opt/Parla/resources/app.asar/out/renderer/index.html#batch', origin)).toBe(true);
    expect(isOwnPage('file:///etc/passwd', origin)).toBe(false);
    expect(isOwnPage('https://example.com/', origin)).toBe(false);
    expect(isOwnPage('not a url', origin)).toBe(false);
    expect(isOwnPage('http://localhost:5173/', { ...origin, devServerUrl: 'http://localhost:5173' })).toBe(true);
    expect(isOwnPage('http://localhost:5174/', { ...origin, devServerUrl: 'http://localhost:5173' })).toBe(false);
  });
  it('opens only https links externally', () => {
    expect(isExternalLink('https://huggingface.co/Xenova')).toBe(true);
    expect(isExternalLink('file:///etc/passwd')).toBe(false);
    expect(isExternalLink('javascript:alert(1)')).toBe(false);
  });
});

describe('commands as data', () => {
  it('builds the menu and the shortcuts from the same table', () => {
    const ran: string[] = [];
    const template = menuTemplate((id) => ran.push(id), false);
    const items = template.flatMap((m) => m.submenu ?? []).filter((i) => i.accelerator);
    expect(items.map((i) => i.accelerator).sort()).toEqual(COMMANDS.map((c) => c.accelerator).sort());
    items.find((i) => i.label === 'Batch')!.click!();
    expect(ran).toEqual(['go.batch']);
    expect(menuTemplate(() => {}, true)[0]).toEqual({ role: 'appMenu' });
  });
  it('matches accelerators per platform', () => {
    const key = { key: '2', ctrlKey: true, metaKey: false, shiftKey: false, altKey: false };
    expect(commandForKey(key, false)).toBe('go.batch');
    expect(commandForKey(key, true)).toBeUndefined();
    expect(commandForKey({ ...key, ctrlKey: false, metaKey: true }, true)).toBe('go.batch');
    expect(commandForKey({ key: 'S', ctrlKey: true, metaKey: false, shiftKey: true, altKey: false }, false)).toBe('translate.swap');
  });
});
