// A file crossing a door: job results and history exports (bytes over IPC, a download over HTTP).

export interface FilePayload {
  fileName: string;
  mimeType: string;
  bytes: Uint8Array;
}

export const SPREADSHEET_TYPES: Record<string, string> = {
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json',
  po: 'text/x-gettext-translation',
  pot: 'text/x-gettext-translation',
  xlf: 'application/x-xliff+xml',
  xliff: 'application/x-xliff+xml',
  srt: 'application/x-subrip',
  vtt: 'text/vtt',
};

/**
 * Files the app's Batch page and drop zone take (the services find the format by content; these
 * name what the file picker offers). Localization formats add their extensions here.
 */
export const BATCH_FILE_EXTENSIONS: readonly string[] = ['.csv', '.tsv', '.xlsx', '.po', '.pot', '.xlf', '.xliff', '.json', '.srt', '.vtt'];

/** Whether the app takes a file of this name for a batch job. */
export function isBatchFile(fileName: string): boolean {
  const lower = fileName.toLowerCase();
  return BATCH_FILE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

export function mimeTypeFor(fileName: string): string {
  const ext = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
  return SPREADSHEET_TYPES[ext] ?? 'application/octet-stream';
}
