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
};

export function mimeTypeFor(fileName: string): string {
  const ext = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
  return SPREADSHEET_TYPES[ext] ?? 'application/octet-stream';
}
