// Write-behind for SQLite bookkeeping: many small writes made during one turn of the event loop
// (a burst of API requests, each recording history and touching the cache) become one
// transaction once the turn is over. The owner flushes early wherever a read must see them.

export class EndOfTurn {
  private scheduled = false;

  /** `flush` writes what is pending; `what` names it in the one line printed if that fails. */
  constructor(
    private readonly flush: () => void,
    private readonly what: string,
  ) {}

  /** Makes sure `flush` runs once after this turn, however many times this is called. */
  request(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      try {
        this.flush();
      } catch (error) {
        // Nothing awaits a deferred write: say so rather than crash the process over it.
        process.stderr.write(`parla: ${this.what} not saved: ${(error as Error).message}\n`);
      }
    });
  }
}
