// The benchmark's HTTP client for the shop's API (bench/run.mjs, bench/profile.mjs): JSON in and
// out, a bearer token when given, and `Accept-Encoding: identity` so no side compresses (every
// load generator sends the same, see the README's benchmark section).

export const ACCEPT_ENCODING = "identity";

/** `api(method, path, { token, body, headers })` against `baseUrl` → `{ status, headers, body }`. */
export function apiAt(baseUrl) {
  return async function api(method, path, { token, body, headers = {} } = {}) {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        "accept-encoding": ACCEPT_ENCODING,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, headers: res.headers, body: json };
  };
}
