// Stable error codes shared by every door (CLI, HTTP, IPC, model host). Each code says what
// went wrong; `userMessage` turns one into the one line a person sees. Errors cross process
// boundaries as plain `{ name, code, message }` objects (see `toErrorInfo`).

export const ERROR_CODES = {
  BAD_INPUT: { exit: 2, http: 400 },
  BAD_FILE: { exit: 2, http: 422 },
  NOT_FOUND: { exit: 2, http: 404 },
  UNKNOWN_PAIR: { exit: 2, http: 422 },
  MODEL_INVALID: { exit: 2, http: 422 },
  TOO_LARGE: { exit: 2, http: 413 },
  CONFLICT: { exit: 1, http: 409 },
  UNAUTHORIZED: { exit: 2, http: 401 },
  FORBIDDEN: { exit: 2, http: 403 },
  RATE_LIMITED: { exit: 1, http: 429 },
  /** An API key's character limit for the month is used up (DeepL's API answers 456). */
  QUOTA_EXCEEDED: { exit: 1, http: 429 },
  CANCELED: { exit: 1, http: 409 },
  HOST_CRASHED: { exit: 1, http: 500 },
  /** The model host's socket or folder is not the user's own, or the peer on it lacks the data dir's secret. */
  HOST_UNTRUSTED: { exit: 1, http: 500 },
  TIMEOUT: { exit: 1, http: 500 },
  DOWNLOAD_FAILED: { exit: 1, http: 500 },
  INTEGRITY: { exit: 1, http: 500 },
  TEAM_OFFLINE: { exit: 1, http: 500 },
  REDIS_AUTH: { exit: 2, http: 500 },
  INTERNAL: { exit: 1, http: 500 },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorInfo {
  name: string;
  code: ErrorCode;
  message: string;
}

export class ParlaError extends Error {
  override readonly name = 'ParlaError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && value in ERROR_CODES;
}

/** Any thrown value as a serialisable `{name, code, message}`; unknown errors become INTERNAL. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof ParlaError) return { name: error.name, code: error.code, message: error.message };
  if (error && typeof error === 'object' && 'code' in error && isErrorCode((error as { code: unknown }).code)) {
    const e = error as { name?: string; code: ErrorCode; message?: string };
    return { name: e.name ?? 'ParlaError', code: e.code, message: e.message ?? e.code };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { name: 'Error', code: 'INTERNAL', message };
}

export function fromErrorInfo(info: ErrorInfo): ParlaError {
  return new ParlaError(info.code, info.message);
}

export function exitCodeFor(code: ErrorCode): number {
  return ERROR_CODES[code].exit;
}

export function httpStatusFor(code: ErrorCode): number {
  return ERROR_CODES[code].http;
}
