// "Open job" from History: the Batch page shows the job it was asked for (scrolled to and
// marked) once its list holds it. One pending request at a time; the next replaces it.
let wanted: string | undefined;

export function showJobNext(id: string): void {
  wanted = id;
}

/** The job to show, if `ids` holds it; taken (asked once) when found. */
export function takeJobToShow(ids: readonly string[]): string | undefined {
  if (!wanted || !ids.includes(wanted)) return undefined;
  const id = wanted;
  wanted = undefined;
  return id;
}
