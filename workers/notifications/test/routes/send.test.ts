import { env } from "cloudflare:workers";
import { NotificationMessage } from "@shop/contracts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ADMIN_SENDS_PER_MINUTE } from "../../src/services/admin/send-message";
import { adminToken, api, fakeSmsApi, registerUser, runQueue, spyEmail } from "../helpers";

afterEach(() => vi.restoreAllMocks());

function captureQueue() {
  return vi.spyOn(env.NOTIFICATIONS, "send").mockResolvedValue(undefined as never);
}

describe("POST /notifications/send (admin)", () => {
  it("queues an admin.message for the user through the chosen channels, which then arrives", async () => {
    const admin = await adminToken();
    const user = await registerUser();
    const queue = captureQueue();

    const res = await api("/notifications/send", {
      method: "POST",
      token: admin.token,
      json: { userId: user.id, channels: ["email", "sms"], subject: "Hello <there>", body: "We have news." },
    });

    expect(res.status).toBe(202);
    const { messageId } = (await res.json()) as { messageId: string };
    expect(queue).toHaveBeenCalledTimes(1);
    const message = NotificationMessage.parse(queue.mock.calls[0]?.[0]);
    expect(message).toMatchObject({
      id: messageId,
      type: "admin.message",
      userId: user.id,
      channels: ["email", "sms"],
      data: { subject: "Hello <there>", body: "We have news." },
    });

    const sms = fakeSmsApi([201]);
    const email = spyEmail();
    await runQueue([message]);
    expect(email.to(user.email)).toHaveLength(1);
    expect(sms.calls[0]?.body).toContain("We have news.");
  });

  it("validates the body and names the failing fields", async () => {
    const admin = await adminToken();
    const queue = captureQueue();
    const res = await api("/notifications/send", {
      method: "POST",
      token: admin.token,
      json: { userId: "bob", channels: ["pigeon"], subject: "", body: "x", extra: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const paths = ((await res.json()) as { errors: { path: string }[] }).errors.map((e) => e.path).sort();
    expect(paths).toEqual(["channels.0", "extra", "subject", "userId"]);
    expect(queue).not.toHaveBeenCalled();
  });

  it("404 for a user that does not exist", async () => {
    const admin = await adminToken();
    captureQueue();
    const res = await api("/notifications/send", {
      method: "POST",
      token: admin.token,
      json: { userId: "usr_01jd8x3v4k2m9q7r5t6w8y0zzz", channels: ["email"], subject: "Hi", body: "Hi" },
    });
    expect(res.status).toBe(404);
  });

  it("throttles each admin per minute with 429 and Retry-After", async () => {
    const admin = await adminToken();
    const other = await adminToken();
    const user = await registerUser();
    captureQueue();
    // The budget is per calendar minute: start well inside one, or the sends below could
    // straddle two windows and the one over the limit would be allowed.
    const leftInMinute = 60_000 - (Date.now() % 60_000);
    if (leftInMinute < 20_000) await new Promise((resolve) => setTimeout(resolve, leftInMinute + 50));
    const send = (token: string) =>
      api("/notifications/send", {
        method: "POST",
        token,
        json: { userId: user.id, channels: ["email"], subject: "Hi", body: "Hi" },
      });
    for (let i = 0; i < ADMIN_SENDS_PER_MINUTE; i++) expect((await send(admin.token)).status).toBe(202);
    const limited = await send(admin.token);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another admin has their own budget.
    expect((await send(other.token)).status).toBe(202);
  }, 45_000);

  it("only admins may send: customer 403, no token 401", async () => {
    const user = await registerUser();
    const queue = captureQueue();
    const body = { userId: user.id, channels: ["email"], subject: "Hi", body: "Hi" };
    expect((await api("/notifications/send", { method: "POST", token: user.token, json: body })).status).toBe(403);
    expect((await api("/notifications/send", { method: "POST", json: body })).status).toBe(401);
    expect(queue).not.toHaveBeenCalled();
  });
});
