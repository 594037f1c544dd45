import { afterEach, describe, expect, it, vi } from "vitest";
import { api, fakeSmsApi, notification, registerUser, runQueue } from "../helpers";

afterEach(() => vi.restoreAllMocks());

type Page = {
  items: { type: string; channel: string; status: string; sentAt: string | null }[];
  nextCursor: string | null;
};

describe("GET /notifications", () => {
  it("lists my deliveries newest first with type, channel, status and time, in cursor pages", async () => {
    const user = await registerUser();
    fakeSmsApi([201]);
    await runQueue([notification("order.confirmed", user.id)]);
    await runQueue([notification("order.shipped", user.id)]);

    const first = await api("/notifications?limit=3", { token: user.token });
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as Page;
    expect(page1.items).toHaveLength(3);
    expect(page1.items[0]).toMatchObject({ type: "order.shipped", status: "sent" });
    expect(page1.items[0]?.sentAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(page1.nextCursor).toEqual(expect.any(String));

    const page2 = (await (
      await api(`/notifications?limit=3&cursor=${page1.nextCursor}`, { token: user.token })
    ).json()) as Page;
    expect(page2.items).toHaveLength(1);
    expect(page2.items[0]).toMatchObject({ type: "order.confirmed" });
    expect(page2.nextCursor).toBeNull();
    const channels = [...page1.items, ...page2.items].map((i) => `${i.type}/${i.channel}`).sort();
    expect(channels).toEqual([
      "order.confirmed/email",
      "order.confirmed/sms",
      "order.shipped/email",
      "order.shipped/sms",
    ]);
  });

  it("user B never sees user A's notifications", async () => {
    const a = await registerUser({ phone: null });
    const b = await registerUser({ phone: null });
    await runQueue([notification("order.delivered", a.id)]);
    const res = await api("/notifications", { token: b.token });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Page).items).toEqual([]);
    expect(((await (await api("/notifications", { token: a.token })).json()) as Page).items).toHaveLength(1);
  });

  it("rejects a bad limit or cursor with 400", async () => {
    const user = await registerUser();
    expect((await api("/notifications?limit=1000", { token: user.token })).status).toBe(400);
    expect((await api("/notifications?cursor=%%%", { token: user.token })).status).toBe(400);
    expect((await api("/notifications?sort=asc", { token: user.token })).status).toBe(400);
  });

  it("needs a token", async () => {
    const res = await api("/notifications");
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
});
