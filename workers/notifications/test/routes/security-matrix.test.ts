import { env } from "cloudflare:workers";
import { forgedAdminTokens } from "@shop/testing/worker";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { adminToken, api, notification, registerUser, runQueue, type TestUser } from "../helpers";

/**
 * The security matrix of notifications: every route refuses no token and tokens the users
 * worker never issued (401), admin routes refuse customers (403) and nothing is queued or
 * replayed, and a customer only ever reads or changes their own log and preferences.
 */

afterEach(() => vi.restoreAllMocks());

type Route = { method: string; path: string; json?: () => unknown; admin: boolean };

let victim: TestUser;

beforeAll(async () => {
  victim = await registerUser({ phone: null });
});

const UNKNOWN_DEAD_LETTER = "ntf_01jd8x3v4k2m9q7r5t6w8y0zzz";

const routes: [string, Route][] = [
  ["GET /notifications", { method: "GET", path: "/notifications", admin: false }],
  ["GET /notifications/preferences", { method: "GET", path: "/notifications/preferences", admin: false }],
  [
    "PUT /notifications/preferences",
    { method: "PUT", path: "/notifications/preferences", json: () => ({ sms: false }), admin: false },
  ],
  [
    "POST /notifications/send",
    {
      method: "POST",
      path: "/notifications/send",
      json: () => ({ userId: victim.id, channels: ["email"], subject: "Forged", body: "Click here" }),
      admin: true,
    },
  ],
  ["GET /notifications/dead-letters", { method: "GET", path: "/notifications/dead-letters", admin: true }],
  [
    "POST /notifications/dead-letters/{id}/replay",
    { method: "POST", path: `/notifications/dead-letters/${UNKNOWN_DEAD_LETTER}/replay`, admin: true },
  ],
];
const adminRoutes = routes.filter(([, r]) => r.admin);

const send = (route: Route, init: { token?: string; headers?: Record<string, string> } = {}) =>
  api(route.path, {
    method: route.method,
    ...init,
    ...(route.json ? { json: route.json() } : {}),
  });

const preferencesOf = async (who: TestUser) =>
  (await api("/notifications/preferences", { token: who.token })).json() as Promise<Record<string, boolean>>;

describe.each(routes)("%s", (_name, route) => {
  it("no token, a non-Bearer scheme, or a forged, expired or tampered token → 401; nothing is queued or changed", async () => {
    const queue = vi.spyOn(env.NOTIFICATIONS, "send").mockResolvedValue(undefined as never);
    const before = await preferencesOf(victim);
    const anonymous = await send(route);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toContain("application/problem+json");
    expect((await send(route, { headers: { authorization: "Basic YWRtaW46YWRtaW4=" } })).status).toBe(401);
    for (const [what, token] of await forgedAdminTokens(env.TEST_SIGNING_JWK, victim.id)) {
      expect((await send(route, { token })).status, what).toBe(401);
    }
    expect(queue).not.toHaveBeenCalled();
    expect(await preferencesOf(victim)).toEqual(before);
  });
});

describe.each(adminRoutes)("%s (admin only)", (_name, route) => {
  it("a customer → 403 and nothing is queued; an admin gets past the check (the control)", async () => {
    const queue = vi.spyOn(env.NOTIFICATIONS, "send").mockResolvedValue(undefined as never);
    const customer = await registerUser({ phone: null });
    const refused = await send(route, { token: customer.token });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(queue).not.toHaveBeenCalled();

    const admin = await adminToken();
    const allowed = await send(route, { token: admin.token });
    // The unknown dead letter is a 404 only once the caller is known to be an admin.
    expect(allowed.status).toBe(route.path.endsWith("/replay") ? 404 : route.method === "POST" ? 202 : 200);
  });
});

describe("a customer only reaches their own notifications", () => {
  it("GET /notifications cannot be widened to another user: userId is refused, and their deliveries never appear", async () => {
    const a = await registerUser({ phone: null });
    const b = await registerUser({ phone: null });
    await runQueue([notification("order.shipped", a.id)]);
    const widened = await api(`/notifications?userId=${a.id}`, { token: b.token });
    expect(widened.status).toBe(400);
    const page = (await (await api("/notifications?limit=100", { token: b.token })).json()) as { items: unknown[] };
    expect(page.items).toEqual([]);
    const own = (await (await api("/notifications", { token: a.token })).json()) as { items: unknown[] };
    expect(own.items).toHaveLength(1);
  });

  it.each([
    ["userId", () => ({ sms: false, userId: victim.id })],
    ["emailTransactional: false", () => ({ emailTransactional: false })],
  ])("PUT /notifications/preferences refuses %s with 400; nobody's preferences change", async (_what, body) => {
    const b = await registerUser({ phone: null });
    const victimBefore = await preferencesOf(victim);
    const ownBefore = await preferencesOf(b);
    const res = await api("/notifications/preferences", { method: "PUT", token: b.token, json: body() });
    expect(res.status).toBe(400);
    expect(await preferencesOf(victim)).toEqual(victimBefore);
    expect(await preferencesOf(b)).toEqual(ownBefore);
  });

  it("PUT /notifications/preferences by B changes B's only", async () => {
    const b = await registerUser({ phone: null });
    const victimBefore = await preferencesOf(victim);
    const res = await api("/notifications/preferences", {
      method: "PUT",
      token: b.token,
      json: { emailOptional: false },
    });
    expect(res.status).toBe(200);
    expect(await preferencesOf(b)).toMatchObject({ emailOptional: false });
    expect(await preferencesOf(victim)).toEqual(victimBefore);
  });
});

describe("POST /notifications/send body", () => {
  it.each([
    ["type", { type: "order.refunded" }],
    ["status", { status: "sent" }],
    ["from", { from: "ceo@example.com" }],
  ])("refuses %s with 400 naming it, and queues nothing", async (field, extra) => {
    const queue = vi.spyOn(env.NOTIFICATIONS, "send").mockResolvedValue(undefined as never);
    const admin = await adminToken();
    const res = await api("/notifications/send", {
      method: "POST",
      token: admin.token,
      json: { userId: victim.id, channels: ["email"], subject: "Hi", body: "News", ...extra },
    });
    expect(res.status).toBe(400);
    const paths = ((await res.json()) as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(paths).toContain(field);
    expect(queue).not.toHaveBeenCalled();
  });
});
