// The application menu from the shared command table: same labels and accelerators as the
// renderer's shortcuts. Returns plain template data; index.ts hands it to Electron's Menu.
import { COMMANDS, type CommandDef, type CommandId } from '../shared/commands.js';

export interface MenuItemSpec {
  label?: string;
  role?: string;
  accelerator?: string;
  type?: 'separator';
  submenu?: MenuItemSpec[];
  click?: () => void;
}

const MENUS: CommandDef['menu'][] = ['File', 'Edit', 'View', 'Go'];
const ROLES: Record<CommandDef['menu'], MenuItemSpec[]> = {
  File: [{ type: 'separator' }, { role: 'quit' }],
  Edit: [{ type: 'separator' }, { role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
  View: [{ type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
  Go: [],
};

export function menuTemplate(run: (id: CommandId) => void, isMac: boolean): MenuItemSpec[] {
  const menus: MenuItemSpec[] = MENUS.map((menu) => ({
    label: menu,
    submenu: [
      ...COMMANDS.filter((c) => c.menu === menu).map((c) => ({ label: c.label, accelerator: c.accelerator, click: () => run(c.id) })),
      ...ROLES[menu].filter((r) => !(isMac && r.role === 'quit')),
    ],
  }));
  return isMac ? [{ role: 'appMenu' }, ...menus, { role: 'windowMenu' }] : menus;
}
