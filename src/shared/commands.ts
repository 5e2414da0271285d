// Commands as data: the Electron menu, its accelerators, the renderer's keyboard shortcuts and the
// command palette in tests all read this one table (docs/architecture.md §10).

export const PAGES = ['translate', 'batch', 'history', 'glossary', 'models', 'settings'] as const;
export type Page = (typeof PAGES)[number];

export interface CommandDef {
  id: string;
  label: string;
  /** Electron accelerator syntax; the renderer matches it against key events in the browser. */
  accelerator: string;
  menu: 'File' | 'Edit' | 'View' | 'Go';
}

export const COMMANDS = [
  { id: 'go.translate', label: 'Translate', accelerator: 'CmdOrCtrl+1', menu: 'Go' },
  { id: 'go.batch', label: 'Batch', accelerator: 'CmdOrCtrl+2', menu: 'Go' },
  { id: 'go.history', label: 'History', accelerator: 'CmdOrCtrl+3', menu: 'Go' },
  { id: 'go.models', label: 'Models', accelerator: 'CmdOrCtrl+4', menu: 'Go' },
  { id: 'go.glossary', label: 'Glossary', accelerator: 'CmdOrCtrl+5', menu: 'Go' },
  { id: 'go.settings', label: 'Settings', accelerator: 'CmdOrCtrl+,', menu: 'Go' },
  { id: 'file.open', label: 'Open Spreadsheet…', accelerator: 'CmdOrCtrl+O', menu: 'File' },
  { id: 'translate.swap', label: 'Swap Languages', accelerator: 'CmdOrCtrl+Shift+S', menu: 'Edit' },
  { id: 'translate.copy', label: 'Copy Translation', accelerator: 'CmdOrCtrl+Shift+C', menu: 'Edit' },
  { id: 'history.search', label: 'Search History', accelerator: 'CmdOrCtrl+F', menu: 'Edit' },
  { id: 'view.theme', label: 'Toggle Dark Mode', accelerator: 'CmdOrCtrl+Shift+L', menu: 'View' },
] as const satisfies readonly CommandDef[];

export type CommandId = (typeof COMMANDS)[number]['id'];

export const COMMAND_CHANNEL = 'parla:command';

export function isCommandId(value: unknown): value is CommandId {
  return COMMANDS.some((c) => c.id === value);
}

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** Whether a key event triggers an accelerator; CmdOrCtrl is ⌘ on macOS and Ctrl elsewhere. */
export function matchesAccelerator(accelerator: string, event: KeyLike, isMac: boolean): boolean {
  const parts = accelerator.split('+');
  const key = parts.pop()!.toLowerCase();
  const wants = { ctrl: false, meta: false, shift: false, alt: false };
  for (const mod of parts) {
    if (mod === 'CmdOrCtrl') wants[isMac ? 'meta' : 'ctrl'] = true;
    else if (mod === 'Shift') wants.shift = true;
    else if (mod === 'Alt') wants.alt = true;
    else if (mod === 'Ctrl') wants.ctrl = true;
  }
  return (
    event.key.toLowerCase() === key &&
    event.ctrlKey === wants.ctrl &&
    event.metaKey === wants.meta &&
    event.shiftKey === wants.shift &&
    event.altKey === wants.alt
  );
}

export function commandForKey(event: KeyLike, isMac: boolean): CommandId | undefined {
  return COMMANDS.find((c) => matchesAccelerator(c.accelerator, event, isMac))?.id;
}

/**
 * Keys the major browsers (Chrome, Edge, Firefox, Safari) keep for themselves: find in page, open
 * a file, switch tabs, their own settings (⌘, on macOS), the developer tools' element picker,
 * Firefox's screenshot. In a browser tab Parla leaves these alone; the desktop app, which has no
 * browser around it, keeps them all.
 */
export const BROWSER_KEYS: readonly string[] = [
  'CmdOrCtrl+F',
  'CmdOrCtrl+O',
  ...['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((n) => `CmdOrCtrl+${n}`),
  'CmdOrCtrl+,',
  'CmdOrCtrl+Shift+C',
  'CmdOrCtrl+Shift+S',
];

/** The command's shortcut in a browser tab, or undefined where it would take over a browser's key. */
export function browserAccelerator(id: CommandId): string | undefined {
  const accelerator = COMMANDS.find((c) => c.id === id)?.accelerator;
  return accelerator && !BROWSER_KEYS.includes(accelerator) ? accelerator : undefined;
}

/** The command a key triggers in a browser tab: as `commandForKey`, less the browser's own keys. */
export function browserCommandForKey(event: KeyLike, isMac: boolean): CommandId | undefined {
  const id = commandForKey(event, isMac);
  return id && browserAccelerator(id) ? id : undefined;
}

/** "Ctrl+Shift+L" (or "⌘+Shift+L" on macOS) for a tooltip. */
export function acceleratorLabel(accelerator: string, isMac: boolean): string {
  return accelerator.replace('CmdOrCtrl', isMac ? '⌘' : 'Ctrl');
}
