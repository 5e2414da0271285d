// A page with unsaved edits (Settings) may hold navigation back to ask first: the shell's `go`
// asks `mayLeave` before it changes page. One guard at a time, set by the page while it is shown.
import type { Page } from '../../shared/commands.js';

/** Returns true to let the shell go to `next` now; false when the page will ask (and go itself). */
type Guard = (next: Page) => boolean;

let guard: Guard | undefined;

/** Sets the guard; returns its removal (for an effect's cleanup). */
export function guardLeaving(g: Guard): () => void {
  guard = g;
  return () => {
    if (guard === g) guard = undefined;
  };
}

export function mayLeave(next: Page): boolean {
  return guard ? guard(next) : true;
}
