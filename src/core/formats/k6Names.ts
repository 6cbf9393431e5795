/**
 * Handler ids from k6 tags, shared by the k6 readers: "GET /api/items" from method + name,
 * where a name that is a full URL (k6's default: the cleaned URL) becomes its path.
 */

/** "https://host:8080/api/items?x=1" → "/api/items"; anything not a URL is returned trimmed. */
export function urlPath(nameOrUrl: string): string {
  const s = nameOrUrl.trim();
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(s);
  if (!m) return s;
  const rest = s.slice(m[0].length).split(/[?#]/, 1)[0] ?? '';
  return rest === '' ? '/' : rest;
}

/** Handler id from k6 tags; null when neither name nor url is set. */
export function k6HandlerName(method: string | undefined, name: string | undefined, url?: string): string | null {
  const target = name && name.trim() !== '' ? name : url && url.trim() !== '' ? url : '';
  if (target === '') return null;
  const path = urlPath(target);
  const m = method?.trim();
  return m ? `${m.toUpperCase()} ${path}` : path;
}
