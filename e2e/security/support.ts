import { createPrivateKey, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { experimental_readRawConfig } from "wrangler";
// @ts-expect-error plain ESM module shared with `npm start`
import { ROOT, startSystem } from "../../scripts/system.mjs";
import { type Call, call, uniqueEmail } from "../support/http";

/**
 * Helpers of the security suite only. Everything still goes over HTTP through a gateway; the
 * one thing read from disk is the local signing key, to forge tokens an attacker could not.
 */

/**
 * Who the gateway thinks the client is. In production Cloudflare sets `CF-Connecting-IP`
 * itself (a client cannot choose it); locally `wrangler dev` passes a client's own header
 * through, so one machine can play several clients. The gateway forwards it to the services
 * as `x-shop-client-ip`, which it strips from clients.
 */
export const fromClient = (ip: string): Record<string, string> => ({ "cf-connecting-ip": ip });

/** A fresh address per run, so a test never meets throttle state left by an earlier one. */
let octet = Math.floor(Math.random() * 200);
export function newClientIp(): string {
  octet = (octet + 1) % 250;
  return `198.51.${Math.floor(Math.random() * 250)}.${octet + 1}`;
}

export type Account = { email: string; password: string };

/**
 * Registers an account and returns its credentials. Any 2xx counts: registration may answer
 * the same (e.g. 202) for new and taken emails, so the status alone says nothing.
 */
export async function signUp(
  tag: string,
  extra: { phone?: string; ip?: string; base?: string } = {},
): Promise<Account> {
  const account = { email: uniqueEmail(tag), password: "correct-horse-42" };
  const body = { ...account, name: "Security Tester", ...(extra.phone ? { phone: extra.phone } : {}) };
  const res = await call("POST", "/users", {
    body,
    headers: fromClient(extra.ip ?? newClientIp()),
    ...(extra.base ? { base: extra.base } : {}),
  });
  if (res.status >= 300) throw new Error(`register → ${res.status} ${JSON.stringify(res.body)}`);
  return account;
}

export function signIn(who: { email: string; password: string }, ip: string, base?: string): Promise<Call> {
  return call("POST", "/users/login", {
    body: { email: who.email, password: who.password },
    headers: fromClient(ip),
    ...(base ? { base } : {}),
  });
}

/** The seconds a 429 or 503 asks the client to wait, or NaN when the header is missing or not a number. */
export const retryAfter = (res: Call): number => Number(res.headers.get("retry-after") ?? Number.NaN);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- tokens ---------------------------------------------------------------------------------

/** The local signing key of `users` (its git-ignored .dev.vars, written by `npm start`). */
function localSigningKey(): { kid: string; jwk: Record<string, string> } {
  const vars = readFileSync(join(ROOT, "workers", "users", ".dev.vars"), "utf8");
  const m = /^JWT_PRIVATE_JWK='(.+)'$/m.exec(vars);
  if (!m?.[1]) throw new Error("workers/users/.dev.vars has no JWT_PRIVATE_JWK");
  const jwk = JSON.parse(m[1]) as Record<string, string>;
  return { kid: String(jwk.kid), jwk };
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

/** The claims of a real access token (no verification: we only copy its shape). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(String(token.split(".")[1]), "base64url").toString("utf8"));
}

/** An EdDSA JWT signed with the local key — the very key the running system trusts. */
export function mintToken(claims: Record<string, unknown>): string {
  const { kid, jwk } = localSigningKey();
  const header = b64url(JSON.stringify({ alg: "EdDSA", typ: "JWT", kid }));
  const payload = b64url(JSON.stringify(claims));
  const key = createPrivateKey({ key: jwk, format: "jwk" });
  const signature = sign(null, Buffer.from(`${header}.${payload}`), key);
  return `${header}.${payload}.${b64url(signature)}`;
}

/** The issuer and audience a deployed environment of `users` signs with (its wrangler.toml). */
export function environmentClaims(env: "staging" | "production"): { iss: string; aud: string } {
  const { rawConfig } = experimental_readRawConfig({ config: join(ROOT, "workers", "users", "wrangler.toml") });
  const vars = (rawConfig.env?.[env]?.vars ?? {}) as Record<string, unknown>;
  const iss = vars.JWT_ISSUER;
  const aud = vars.JWT_AUDIENCE;
  if (typeof iss !== "string" || typeof aud !== "string") {
    throw new Error(`workers/users/wrangler.toml sets no JWT_ISSUER / JWT_AUDIENCE for env.${env}`);
  }
  return { iss, aud };
}

// ---- a system of the suite's own -----------------------------------------------------------

export type OwnSystem = { url: string; stop(): Promise<void> };

/**
 * A whole system for one test file, with variables the shared e2e systems do not have (the
 * test-only fault switches, short key caches, rate limits on). Its own ports (E2E_SECURITY_PORT,
 * default E2E_PORT + 20: the shared systems take E2E_PORT .. +5; `slot` n takes 3 ports from
 * +20 + 3n, so one file's system never waits for the previous file's ports to free) and its
 * own fresh state. `harness`: build it with the armed test harness (fault switches, ADR 0015).
 */
export async function startOwnSystem(
  vars: Record<string, string>,
  slot = 0,
  { harness = false }: { harness?: boolean } = {},
): Promise<OwnSystem> {
  const first = Number(process.env.E2E_SECURITY_PORT ?? Number(process.env.E2E_PORT ?? 8797) + 20);
  const port = first + 3 * slot;
  const stateDir = join(ROOT, `.state-e2e-security-${port}`);
  return startSystem({ port, stateDir, fresh: true, quiet: true, logFile: `${stateDir}.log`, vars, harness });
}

/** Sets (or clears, with null) the test-only fault switches of a service of a system of our own. */
export async function faultsAt(base: string, service: string, specs: Record<string, unknown> | null) {
  const res = specs
    ? await call("PUT", `/__faults/${service}`, { body: specs, base })
    : await call("DELETE", `/__faults/${service}`, { base });
  if (res.status !== 200) throw new Error(`faults ${service} → ${res.status} ${JSON.stringify(res.body)}`);
}

// ---- ids ------------------------------------------------------------------------------------

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** An id's body (after `xxx_`) as a number, in whichever alphabet all the bodies use. */
export function idNumbers(bodies: string[]): bigint[] {
  const alphabet = bodies.every((b) => /^[0-9A-HJKMNP-TV-Z]+$/.test(b))
    ? CROCKFORD
    : bodies.every((b) => /^[0-9a-f]+$/.test(b))
      ? "0123456789abcdef"
      : bodies.every((b) => /^[0-9a-z]+$/.test(b))
        ? "0123456789abcdefghijklmnopqrstuvwxyz"
        : BASE64URL;
  const base = BigInt(alphabet.length);
  return bodies.map((b) => [...b].reduce((n, ch) => n * base + BigInt(Math.max(0, alphabet.indexOf(ch))), 0n));
}

/** Runs `tasks` with at most `width` in flight; results in order. */
export async function inParallel<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}
