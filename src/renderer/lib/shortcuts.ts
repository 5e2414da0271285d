// Which keyboard shortcuts this window has: the desktop app (window.parla, from the preload) has
// every command's accelerator through its menu; a browser tab only those no browser keeps for itself.
import { acceleratorLabel, browserAccelerator, COMMANDS, type CommandId } from '../../shared/commands.js';

export const isMac = /Mac/.test(navigator.platform);
export const inBrowser = (): boolean => !window.parla;

/** "Ctrl+Shift+L" for a tooltip, or undefined where this window has no shortcut for the command. */
export function shortcutLabel(id: CommandId): string | undefined {
  const accelerator = inBrowser() ? browserAccelerator(id) : COMMANDS.find((c) => c.id === id)?.accelerator;
  return accelerator && acceleratorLabel(accelerator, isMac);
}

/** "Swap languages (Ctrl+Shift+S)", or just the label where there is no shortcut. */
export function withShortcut(label: string, id: CommandId): string {
  const key = shortcutLabel(id);
  return key ? `${label} (${key})` : label;
}
