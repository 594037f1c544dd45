import { env } from "cloudflare:workers";
import type { TokenPair, User } from "@shop/contracts";
import { expect, it } from "vitest";
import { call, PASSWORD, signedInAdmin, uniqueEmail } from "../helpers";

it("no response of any route contains a password hash or a refresh-token hash", async () => {
  const bodies: string[] = [];
  const record = async (res: Promise<Response>) => {
    const r = await res;
    const text = await r.text();
    bodies.push(text);
    return { status: r.status, text };
  };
  const admin = await signedInAdmin();
  const email = uniqueEmail();

  const created = await record(call("POST", "/users", { body: { email, password: PASSWORD, name: "Sweep" } }));
  const user = JSON.parse(created.text) as User;
  await record(call("POST", "/users", { body: { email, password: PASSWORD, name: "Sweep" } })); // 409
  const login = await record(call("POST", "/users/login", { body: { email, password: PASSWORD } }));
  const pair = JSON.parse(login.text) as TokenPair;
  await record(call("POST", "/users/login", { body: { email, password: "wrong-password-1" } }));
  await record(call("GET", "/users/me", { token: pair.accessToken }));
  await record(call("PATCH", "/users/me", { token: pair.accessToken, body: { name: "Swept" } }));
  const rotated = await record(call("POST", "/users/refresh", { body: { refreshToken: pair.refreshToken } }));
  await record(call("POST", "/users/refresh", { body: { refreshToken: pair.refreshToken } })); // replay → 401
  await record(
    call("POST", "/users/logout", { body: { refreshToken: (JSON.parse(rotated.text) as TokenPair).refreshToken } }),
  );
  await record(call("GET", "/users?limit=100", { token: admin.tokens.accessToken }));
  await record(call("GET", `/users/${user.id}`, { token: admin.tokens.accessToken }));
  await record(call("GET", "/.well-known/jwks.json"));
  await record(call("GET", "/openapi.json"));

  const secrets = [
    ...(await env.DB.prepare("SELECT password_hash AS s FROM users").all<{ s: string }>()).results,
    ...(await env.DB.prepare("SELECT token_hash AS s FROM refresh_tokens").all<{ s: string }>()).results,
    ...(
      await env.DB.prepare("SELECT replaced_by AS s FROM refresh_tokens WHERE replaced_by IS NOT NULL").all<{
        s: string;
      }>()
    ).results,
  ].map((r) => r.s);
  expect(secrets.length).toBeGreaterThanOrEqual(5);

  const all = bodies.join("\n");
  expect(all).not.toContain("pbkdf2");
  for (const secret of secrets) expect(all).not.toContain(secret);
  // The private half of the signing key never leaves either.
  expect(all).not.toContain((JSON.parse(env.TEST_SIGNING_JWK) as { d: string }).d);
});
