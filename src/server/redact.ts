// What may be written about a request: its URL without secrets. Keys travel in headers and
// bodies (never logged), but LibreTranslate's `api_key` and the UI's first-load `token` may sit
// in a query string, which loggers and metrics would otherwise copy verbatim.
const SECRET_PARAMS = new Set(['api_key', 'token', 'auth_key']);

export function redactedUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=')[0] ?? '';
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // A malformed name is logged as sent; it names no secret this server reads.
      }
      return SECRET_PARAMS.has(decoded.toLowerCase()) ? `${name}=***` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}
