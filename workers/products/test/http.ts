import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { bearer, mintToken } from "@shop/testing/worker";

const BASE = "https://products.test";

export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(`${BASE}${path}`, init));
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

export async function adminHeaders(): Promise<Record<string, string>> {
  return bearer(await mintToken(env.TEST_SIGNING_JWK, { sub: "usr_01jd8x3v4k2m9q7r5t6w8y0zaa", role: "admin" }));
}

export async function customerHeaders(): Promise<Record<string, string>> {
  return bearer(await mintToken(env.TEST_SIGNING_JWK, { sub: "usr_01jd8x3v4k2m9q7r5t6w8y0zab", role: "customer" }));
}

export async function sendJson(
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return call(path, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** A word no other test uses, for search and isolation. */
export const uniqueWord = (prefix = "zq") =>
  `${prefix}${crypto.randomUUID().replaceAll("-", "").replace(/[0-9]/g, "").slice(0, 10)}`;
