// Every `parla` command, in help order. Add a command: one file in this folder, one line here.
import type { Command } from '../registry.js';
import { modelsCommand } from './models.js';
import { translateCommand } from './translate.js';

export const COMMANDS: readonly Command[] = [translateCommand, modelsCommand];
