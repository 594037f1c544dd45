import { env } from "cloudflare:workers";
import { NotificationMessage } from "@shop/contracts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { adminToken, api, fakeSmsApi, notification, registerUser, runQueue, spyEmail } from "../helpers";

afterEach(() => vi.restoreAllMocks());

type DeadLetterBody = {
  id: string;
  messageId: string;
  status: string;
  reason: string;
  replayable: boolean;
  source: string;
  deaths: number;
};

async function deadLetterFor(messageId: string, token: string): Promise<DeadLetterBody | undefined> {
  const res = await api("/notifications/dead-letters?limit=100", { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: DeadLetterBody[] }).items.find((d) => d.messageId === messageId);
}

describe("dead letters", () => {
  it("a message failing past max_retries is recorded, and a replay delivers it exactly once", async () => {
    const admin = await adminToken();
    const user = await registerUser();
    const email = spyEmail();
    const message = notification("order.shipped", user.id);

    // Every attempt fails at the SMS provider; the email goes out on the first one only.
    const sms = fakeSmsApi([500]);
    for (let attempt = 1; attempt <= 6; attempt++) {
      const { result } = await runQueue([message], { attempts: attempt });
      expect(result.retryMessages).toHaveLength(1);
    }
    // The platform then moves it to the dead-letter queue, whose consumer records it.
    const dlq = await runQueue([message], { queue: "notifications-dlq" });
    expect(dlq.result.explicitAcks).toEqual(dlq.ids);
    // The dead-letter queue may deliver twice as well: still one record.
    await runQueue([message], { queue: "notifications-dlq" });

    const dead = await deadLetterFor(message.id, admin.token);
    expect(dead).toMatchObject({ source: "dead_letter_queue", status: "dead", replayable: true });
    expect(dead?.reason).toContain("sms failed: 500");
    expect(sms.sent()).toHaveLength(0);

    // The provider recovers; an admin replays it.
    vi.restoreAllMocks();
    const healthy = fakeSmsApi([201]);
    const queue = vi.spyOn(env.NOTIFICATIONS, "send").mockResolvedValue(undefined as never);
    const replay = await api(`/notifications/dead-letters/${dead?.id}/replay`, { method: "POST", token: admin.token });
    expect(replay.status).toBe(202);
    expect(await replay.json()).toMatchObject({ status: "replayed", replayable: false });
    const again = await api(`/notifications/dead-letters/${dead?.id}/replay`, { method: "POST", token: admin.token });
    expect(again.status).toBe(409);
    expect(queue).toHaveBeenCalledTimes(1);

    // The replayed message arrives (perhaps twice): SMS once, the email not again.
    const replayed = NotificationMessage.parse(queue.mock.calls[0]?.[0]);
    expect(replayed.id).toBe(message.id);
    await runQueue([replayed]);
    await runQueue([replayed], { attempts: 2 });
    expect(healthy.calls).toHaveLength(1);
    expect(email.to(user.email)).toHaveLength(1);
  }, 30_000); // six deliveries, each with its bounded in-delivery SMS backoff

  it("a replayed message that dies again re-opens its letter, which can be replayed again", async () => {
    const admin = await adminToken();
    const user = await registerUser();
    const message = notification("order.shipped", user.id);
    await runQueue([message], { queue: "notifications-dlq" });
    const dead = await deadLetterFor(message.id, admin.token);
    expect(dead).toMatchObject({ status: "dead", replayable: true, deaths: 1 });
    const queue = vi.spyOn(env.NOTIFICATIONS, "send").mockResolvedValue(undefined as never);
    const replay = () => api(`/notifications/dead-letters/${dead?.id}/replay`, { method: "POST", token: admin.token });

    expect((await replay()).status).toBe(202);
    expect(await deadLetterFor(message.id, admin.token)).toMatchObject({ status: "replayed", replayable: false });
    // The replayed copy exhausts its retries too and reaches the dead-letter queue again.
    await runQueue([message], { queue: "notifications-dlq" });
    expect(await deadLetterFor(message.id, admin.token)).toMatchObject({
      id: dead?.id,
      status: "dead",
      replayable: true,
      deaths: 2,
    });
    expect((await replay()).status).toBe(202);
    expect(queue).toHaveBeenCalledTimes(2);
  });

  it("a queue that refuses the replayed message answers 503 with Retry-After, and the letter stays open", async () => {
    const admin = await adminToken();
    const user = await registerUser();
    const message = notification("order.shipped", user.id);
    await runQueue([message], { queue: "notifications-dlq" });
    const dead = await deadLetterFor(message.id, admin.token);
    expect(dead).toMatchObject({ status: "dead", replayable: true });
    // A body the queue itself refuses: it still parses (channels has no upper bound) but is
    // over the 128 KB a queue message may be, so the real producer binding's send throws.
    const oversized = { ...message, channels: Array.from({ length: 20_000 }, () => "email") };
    expect(JSON.stringify(oversized).length).toBeGreaterThan(128_000);
    await env.DB.prepare("UPDATE dead_letters SET body = ? WHERE id = ?")
      .bind(JSON.stringify(oversized), dead?.id)
      .run();

    const res = await api(`/notifications/dead-letters/${dead?.id}/replay`, { method: "POST", token: admin.token });
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await res.json()).toMatchObject({ status: 503, code: "service_unavailable" });
    // Nothing was queued, so the letter is dead and replayable again (the lease is given back).
    expect(await deadLetterFor(message.id, admin.token)).toMatchObject({ status: "dead", replayable: true });
  });

  it("a malformed message is listed but cannot be replayed", async () => {
    const admin = await adminToken();
    await runQueue([{ id: "evt_broken_for_replay", type: "nope" }]);
    const dead = await deadLetterFor("evt_broken_for_replay", admin.token);
    expect(dead).toMatchObject({ source: "malformed", replayable: false });
    const res = await api(`/notifications/dead-letters/${dead?.id}/replay`, { method: "POST", token: admin.token });
    expect(res.status).toBe(409);
  });

  it("replaying an unknown id is 404; a malformed id is 400", async () => {
    const admin = await adminToken();
    const unknown = await api("/notifications/dead-letters/ntf_01jd8x3v4k2m9q7r5t6w8y0zzz/replay", {
      method: "POST",
      token: admin.token,
    });
    expect(unknown.status).toBe(404);
    const bad = await api("/notifications/dead-letters/42/replay", { method: "POST", token: admin.token });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
  });

  it("only admins list or replay dead letters: customer 403, no token 401", async () => {
    const user = await registerUser();
    expect((await api("/notifications/dead-letters", { token: user.token })).status).toBe(403);
    expect((await api("/notifications/dead-letters")).status).toBe(401);
    const replay = "/notifications/dead-letters/ntf_01jd8x3v4k2m9q7r5t6w8y0zzz/replay";
    expect((await api(replay, { method: "POST", token: user.token })).status).toBe(403);
    expect((await api(replay, { method: "POST" })).status).toBe(401);
  });
});
