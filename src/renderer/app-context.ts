// What every page gets from the shell: the API client, navigation and notices.
import { createContext, useContext } from 'react';
import type { ParlaApi } from '../shared/api.js';
import type { Page } from '../shared/commands.js';
import { toErrorInfo } from '../shared/errors.js';

export interface Shell {
  api: ParlaApi;
  go(page: Page, prefill?: { text: string; from?: string; to?: string }): void;
  notify(message: string, kind?: 'info' | 'error'): void;
  /** Reports a failed call in one place: a notice, or the sign-in screen for UNAUTHORIZED. */
  fail(error: unknown): void;
}

export const ShellContext = createContext<Shell | null>(null);

export function useShell(): Shell {
  const shell = useContext(ShellContext);
  if (!shell) throw new Error('useShell outside <ShellContext.Provider>');
  return shell;
}

export function errorText(error: unknown): string {
  return toErrorInfo(error).message;
}
