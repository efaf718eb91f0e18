// Tokens never belong in a URL: URLs are logged, kept in browser history and sent on as Referer. A
// request that carries one there is refused (src/http/auth.ts), and the URL is logged with it redacted.

/** Query parameters whose value is a credential, whatever the route. */
const SECRET_PARAMETER =
  /^(access[_-]?token|token|bearer|api[_-]?key|key|secret|password|auth(orization)?)$/i;
/** A ledger token anywhere in a URL, in the path or a parameter of any name. */
const LEDGER_TOKEN = /nsl_[A-Za-z0-9_-]+/g;

export const REDACTED = '[redacted]';

/** Whether a URL carries a token: a credential parameter, or something shaped like a ledger token. */
export function tokenInUrl(url: string): boolean {
  LEDGER_TOKEN.lastIndex = 0;
  if (LEDGER_TOKEN.test(url)) return true;
  const query = url.indexOf('?');
  if (query < 0) return false;
  for (const name of new URLSearchParams(url.slice(query + 1)).keys())
    if (SECRET_PARAMETER.test(name)) return true;
  return false;
}

/** The URL as it may be logged: credential parameters' values and ledger tokens replaced. */
export function redactUrl(url: string): string {
  const masked = url.replace(LEDGER_TOKEN, REDACTED);
  const query = masked.indexOf('?');
  if (query < 0) return masked;
  const params = masked
    .slice(query + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = decodeSafely(eq < 0 ? pair : pair.slice(0, eq));
      return eq >= 0 && SECRET_PARAMETER.test(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    });
  return `${masked.slice(0, query)}?${params.join('&')}`;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
