/** Query parameters whose values never reach a log line: tokens, codes, keys, signatures, secrets and passwords. */
const SECRET_PARAMETER = /(^|[_.-])(token|code|key|apikey|sig|signature|otp|pin)$|token|secret|passw(or)?d|pwd|credential|session/i;

export const REDACTED = '[redacted]';

const decoded = (text: string): string => {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
};

/**
 * The URL (a path with its query string, as a request line carries it) with the value of every secret-looking query
 * parameter replaced by `[redacted]`; everything else is kept byte for byte.
 */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?');
  if (queryAt === -1) return url;
  const query = url
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      return equals !== -1 && SECRET_PARAMETER.test(decoded(name)) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, queryAt)}?${query}`;
}
