import { beforeAll, describe, expect, it } from "vitest";
import { call, login } from "../support/http";
import { claimsOf, environmentClaims, mintToken, newClientIp, signUp } from "./support";

/**
 * Issuer and audience are per environment (ADR 0002): a token signed for staging is refused
 * here even when it carries a signature the system trusts. The forgery uses the local signing
 * key itself, so only the issuer/audience check can refuse it; the same forgery with this
 * system's own issuer/audience is accepted, which shows the test can fail.
 */
let account: { email: string; password: string };
let real: string;
let productId: string;

beforeAll(async () => {
  account = await signUp("staging-token", { ip: newClientIp() });
  real = (await login(account)).accessToken;
  productId = (await call("GET", "/products?limit=1")).body.items[0].id;
});

function forged(override: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  return mintToken({ ...claimsOf(real), iat: now, exp: now + 600, ...override });
}

describe("security: tokens of another environment", () => {
  it("accepts a token minted with this system's own issuer and audience (the control)", async () => {
    const token = forged({});
    expect((await call("GET", "/users/me", { token })).status).toBe(200);
    expect((await call("GET", "/orders", { token })).status).toBe(200);
  });

  for (const env of ["staging", "production"] as const) {
    it(`refuses a token minted with the ${env} issuer and audience, in every service, changing nothing`, async () => {
      const { iss, aud } = environmentClaims(env);
      const local = claimsOf(real);
      expect(iss, "the environments must differ").not.toBe(local.iss);
      const variants = { both: forged({ iss, aud }), issuer: forged({ iss }), audience: forged({ aud }) };
      for (const [which, token] of Object.entries(variants)) {
        for (const path of ["/users/me", "/orders", "/notifications/preferences", "/payments"]) {
          const res = await call("GET", path, { token });
          expect(res.status, `${which} of ${env} → GET ${path}`).toBe(401);
          expect(res.headers.get("content-type")).toContain("application/problem+json");
        }
        const write = await call("POST", "/cart/items", { token, body: { productId, quantity: 1 } });
        expect(write.status, `${which} of ${env} → POST /cart/items`).toBe(401);
        const rename = await call("PATCH", "/users/me", { token, body: { name: "Renamed By Forgery" } });
        expect(rename.status).toBe(401);
      }
      // Nothing changed for the real account.
      const cart = await call("GET", "/cart", { token: real });
      expect(cart.body.lines ?? []).toEqual([]);
      const me = await call("GET", "/users/me", { token: real });
      expect(me.body.name).not.toBe("Renamed By Forgery");
    });
  }
});
