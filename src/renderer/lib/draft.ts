// The Translate page's draft (its text, languages and alternatives setting), kept in the
// renderer's localStorage so it survives going to another page and back, a reload and a restart,
// in the browser and in the app alike. A draft too large for the storage is simply not kept.

export interface Draft {
  text: string;
  from: string;
  to: string;
  beam: number;
}

const KEY = 'parla.translate.draft';

/** The saved draft's fields that are well formed; none where nothing (readable) was saved. */
export function loadDraft(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Partial<Draft> {
  let saved: unknown;
  try {
    saved = JSON.parse(storage?.getItem(KEY) ?? 'null');
  } catch {
    return {};
  }
  if (!saved || typeof saved !== 'object') return {};
  const s = saved as Record<string, unknown>;
  const draft: Partial<Draft> = {};
  if (typeof s.text === 'string') draft.text = s.text;
  if (typeof s.from === 'string') draft.from = s.from;
  if (typeof s.to === 'string' && s.to) draft.to = s.to;
  if (typeof s.beam === 'number' && Number.isInteger(s.beam) && s.beam >= 1) draft.beam = s.beam;
  return draft;
}

export function saveDraft(draft: Draft, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(KEY, JSON.stringify(draft));
  } catch {
    // Over the storage quota, or storage turned off: the draft lives on only while the page is open.
  }
}
