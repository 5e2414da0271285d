// Messages between the main thread and a sheet worker: a discriminated union with a sequence id
// for the worker's requests (texts to add, translations to look up) that the main thread answers.
import type { ErrorInfo } from './errors.js';
import type { ItemTranslation } from './jobs.js';

export interface NewTextMessage {
  lang: string;
  key: string;
  source: string;
  count?: number;
}

export type SheetTask =
  | { type: 'plan'; request: { file: string; to: string[]; columns?: string[]; sheet?: string; output?: string } }
  | { type: 'ingest'; plan: unknown }
  | { type: 'write'; plan: unknown };

export type ToWorker =
  | { type: 'ack'; seq: number }
  | { type: 'found'; seq: number; values: (ItemTranslation | null)[] }
  | { type: 'fail'; seq: number; error: ErrorInfo };

export type FromWorker =
  | { type: 'add'; seq: number; texts: NewTextMessage[] }
  | { type: 'lookup'; seq: number; lang: string; keys: string[] }
  | { type: 'done'; result: unknown }
  | { type: 'error'; error: ErrorInfo };
