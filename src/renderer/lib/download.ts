// Saves a FilePayload through the browser's download machinery (works in Electron too).
import type { FilePayload } from '../../shared/files.js';

export function saveFile(file: FilePayload): void {
  const url = URL.createObjectURL(new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  a.dataset.testid = 'download-link';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
