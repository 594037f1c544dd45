import { JWT_AUDIENCE, JWT_ISSUER, type Jwks } from "@shop/contracts";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { TokenVerifier } from "../src/auth";

async function keyPair(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "EdDSA" } };
}

async function sign(key: Awaited<ReturnType<typeof keyPair>>, claims: Record<string, unknown> = {}) {
  return new SignJWT({ role: "customer", email: "a@example.com", ...claims })
    .setProtectedHeader({ alg: "EdDSA", kid: key.kid })
    .setSubject("usr_01jd8x3v4k2m9q7r5t6w8y0zab")
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("15m")
    .sign(key.privateKey);
}

describe("TokenVerifier", () => {
  it("picks up a rotated key by its kid without a restart, fetching the key set again only then", async () => {
    const [oldKey, newKey] = [await keyPair("k1"), await keyPair("k2")];
    let published: Jwks = { keys: [oldKey.publicJwk] };
    let loads = 0;
    const load = async () => {
      loads++;
      return published;
    };
    const verifier = new TokenVerifier(0);
    expect((await verifier.verify(await sign(oldKey), load)).role).toBe("customer");
    expect((await verifier.verify(await sign(oldKey), load)).role).toBe("customer");
    expect(loads).toBe(1); // cached

    published = { keys: [newKey.publicJwk, oldKey.publicJwk] };
    const principal = await verifier.verify(await sign(newKey, { role: "admin" }), load);
    expect(principal.role).toBe("admin");
    expect(loads).toBe(2);
  });

  it("refuses a kid nobody publishes, and does not refetch the key set on every such token", async () => {
    const [known, stranger] = [await keyPair("known"), await keyPair("stranger")];
    let loads = 0;
    const verifier = new TokenVerifier(60_000);
    const load = async () => {
      loads++;
      return { keys: [known.publicJwk] };
    };
    await verifier.verify(await sign(known), load);
    for (let i = 0; i < 3; i++) {
      await expect(verifier.verify(await sign(stranger), load)).rejects.toMatchObject({ status: 401 });
    }
    expect(loads).toBe(1);
  });

  it("refuses a token whose role claim is not a known role", async () => {
    const key = await keyPair("k");
    const verifier = new TokenVerifier(0);
    const load = async () => ({ keys: [key.publicJwk] });
    await expect(verifier.verify(await sign(key, { role: "root" }), load)).rejects.toMatchObject({ status: 401 });
  });
});
