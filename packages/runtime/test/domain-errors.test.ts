import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

type Problem = {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  requestId?: string;
  errors?: { path: string; message: string }[];
  lines?: unknown[];
};

async function problemOf(name: string): Promise<{ res: Response; body: Problem }> {
  const res = await SELF.fetch(`https://x/domain/${name}`, { headers: { "x-request-id": "req-domain-1" } });
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return { res, body: (await res.json()) as Problem };
}

describe("domain errors → problem+json (the one mapping in createApp)", () => {
  it("NotFound is a 404 naming what was not found", async () => {
    const { res, body } = await problemOf("NotFound");
    expect(res.status).toBe(404);
    expect(body).toEqual({
      type: "https://shop.example/problems/not-found",
      title: "Not found",
      status: 404,
      code: "not_found",
      detail: "The thing was not found.",
      requestId: "req-domain-1",
    });
  });

  it("Conflict is a 409 with its own code and the fields at fault", async () => {
    const { res, body } = await problemOf("Conflict");
    expect(res.status).toBe(409);
    expect(body).toMatchObject({ code: "conflict", detail: "The SKU is taken." });
    expect(body.errors).toEqual([{ path: "sku", message: "is already in use" }]);
    const transition = await problemOf("ConflictTransition");
    expect(transition.res.status).toBe(409);
    expect(transition.body).toMatchObject({ code: "invalid_transition", title: "Not possible in the current state" });
    expect(transition.body.errors).toBeUndefined();
  });

  it("Invalid is a 400 validation_failed naming each failing field once in the detail", async () => {
    const { res, body } = await problemOf("Invalid");
    expect(res.status).toBe(400);
    expect(body.code).toBe("validation_failed");
    expect(body.detail).toBe("Invalid query: q, cursor");
    expect(body.errors?.map((e) => e.path)).toEqual(["q", "cursor", "q"]);
  });

  it("Invalid with a refusal is a 400 bad_request with the detail worded for a person", async () => {
    const { res, body } = await problemOf("InvalidRefusal");
    expect(res.status).toBe(400);
    expect(body).toMatchObject({ code: "bad_request", detail: "That code is not the one we sent." });
    expect(body.errors).toEqual([{ path: "code", message: "is not the code we sent" }]);
  });

  it("NotFound may name the field and word its detail; Unprocessable is a 422 naming the field", async () => {
    const named = await problemOf("NotFoundNamed");
    expect(named.res.status).toBe(404);
    expect(named.body).toMatchObject({ code: "not_found", detail: "prd_x is not in the cart." });
    expect(named.body.errors).toEqual([{ path: "productId", message: "is not in the cart" }]);
    const refused = await problemOf("Unprocessable");
    expect(refused.res.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: "unprocessable",
      detail: "A cart holds at most 50 different products.",
    });
    expect(refused.body.errors).toEqual([{ path: "productId", message: "would be line 51" }]);
  });

  it("Forbidden is a 403 and Unauthenticated a 401 with a Bearer challenge", async () => {
    const forbidden = await problemOf("Forbidden");
    expect(forbidden.res.status).toBe(403);
    expect(forbidden.body).toMatchObject({ code: "forbidden", detail: "You do not have the role this needs." });
    expect(forbidden.res.headers.get("www-authenticate")).toBeNull();
    const anonymous = await problemOf("Unauthenticated");
    expect(anonymous.res.status).toBe(401);
    expect(anonymous.body.code).toBe("unauthorized");
    expect(anonymous.res.headers.get("www-authenticate")).toBe('Bearer realm="shop"');
  });

  it("PreconditionFailed is a 412", async () => {
    const { res, body } = await problemOf("PreconditionFailed");
    expect(res.status).toBe(412);
    expect(body).toMatchObject({ code: "precondition_failed", detail: "It changed; it is now at version 3." });
  });

  it("InsufficientStock is a 409 whose `lines` member says what is available", async () => {
    const { res, body } = await problemOf("InsufficientStock");
    expect(res.status).toBe(409);
    expect(body.code).toBe("insufficient_stock");
    expect(body.lines).toEqual([{ productId: "prd_x", requested: 3, available: 1, reason: "insufficient_stock" }]);
  });

  it("RateLimited is a 429 telling the client when to retry", async () => {
    const { res, body } = await problemOf("RateLimited");
    expect(res.status).toBe(429);
    expect(body).toMatchObject({ code: "rate_limited", detail: "At most 10 per minute." });
    expect(res.headers.get("retry-after")).toBe("42");
  });

  it("Unavailable is a 503 telling the client when to retry", async () => {
    const { res, body } = await problemOf("Unavailable");
    expect(res.status).toBe(503);
    expect(body.code).toBe("service_unavailable");
    expect(res.headers.get("retry-after")).toBe("7");
  });
});

describe("ServiceContext", () => {
  it("carries the request id, the continued trace, the request's clock and a db over the worker's D1", async () => {
    const before = Date.now();
    const res = await SELF.fetch("https://x/ctx", {
      headers: {
        "x-request-id": "req-ctx-12345",
        traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      },
    });
    const ctx = (await res.json()) as Record<string, unknown>;
    expect(ctx.requestId).toBe("req-ctx-12345");
    expect(ctx.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(ctx.traceparent).not.toBe("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    expect(ctx.now).toBeGreaterThanOrEqual(before);
    expect(ctx.principal).toBeNull();
    expect(ctx.dbIsWorkersD1).toBe(true);
  });

  it("carries the principal that route middleware authenticated after the context was built", async () => {
    const res = await SELF.fetch("https://x/mine/ctx", { headers: { authorization: "Bearer good" } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { principal: unknown }).principal).toEqual({ userId: "usr_1", role: "customer" });
  });

  it("callerOf refuses an anonymous context (401) and names the authenticated caller", async () => {
    const anonymous = await SELF.fetch("https://x/ctx/caller");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe('Bearer realm="shop"');
    const known = await SELF.fetch("https://x/ctx/caller", { headers: { authorization: "Bearer good" } });
    expect(await known.json()).toEqual({ userId: "usr_1" });
  });
});
