import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../../helpers";

describe("GET /.well-known/jwks.json", () => {
  it("publishes the current and the previous public key, cacheable, without private parts", async () => {
    const res = await call("GET", "/.well-known/jwks.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(keys.map((k) => k.kid)).toEqual(["test-current", "test-previous"]);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA" });
      expect(key).not.toHaveProperty("d");
    }
    const current = JSON.parse(env.TEST_SIGNING_JWK) as { x: string };
    expect(keys[0]?.x).toBe(current.x);
  });
});
