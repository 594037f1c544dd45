import { env } from "cloudflare:workers";
import { NotificationMessage } from "@shop/contracts";
import { mintToken } from "@shop/testing/worker";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, expectProblem, PASSWORD, uniqueEmail, userByEmail } from "../../helpers";

afterEach(() => {
  vi.restoreAllMocks();
});

/** Registers a new account and returns the token its verification email carries. */
async function registerWithToken(name = "Ada Lovelace") {
  const send = vi.spyOn(env.NOTIFICATIONS, "sendBatch");
  const email = uniqueEmail("verify");
  expect((await call("POST", "/users", { body: { email, password: PASSWORD, name } })).status).toBe(202);
  const message = [...(send.mock.calls[0]?.[0] ?? [])].map((m) => NotificationMessage.parse(m.body))[0];
  send.mockRestore();
  if (message?.type !== "user.email_verification") throw new Error("no verification message");
  return { email, token: (message.data as { token: string }).token, user: await userByEmail(email) };
}

const sentMessages = (spy: { mock: { calls: [Iterable<MessageSendRequest>, ...unknown[]][] } }) =>
  spy.mock.calls.flatMap((c) => [...c[0]].map((m) => NotificationMessage.parse(m.body)));

describe("POST /users/verify-email", () => {
  it("marks the address verified once, and sends the welcome message then (not before)", async () => {
    const { email, token, user } = await registerWithToken("Grace Hopper");
    const send = vi.spyOn(env.NOTIFICATIONS, "sendBatch");
    const res = await call("POST", "/users/verify-email", { body: { token } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "verified" });
    expect(await userByEmail(email)).toMatchObject({ emailVerified: true });
    const row = await env.DB.prepare("SELECT email_verified_at FROM users WHERE id = ?")
      .bind(user.id)
      .first<{ email_verified_at: string | null }>();
    expect(row?.email_verified_at).toMatch(/^\d{4}-/);
    await vi.waitFor(() => expect(sentMessages(send)).toHaveLength(1), { timeout: 2_000, interval: 20 });
    expect(sentMessages(send)[0]).toMatchObject({
      type: "user.registered",
      userId: user.id,
      data: { name: "Grace Hopper" },
    });

    // A second click on the same link answers the same and welcomes nobody twice.
    const again = await call("POST", "/users/verify-email", { body: { token } });
    expect(again.status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(sentMessages(send)).toHaveLength(1);
  });

  it("the GET landing verifies too, and is not cached", async () => {
    const { email, token } = await registerWithToken();
    const res = await call("GET", `/users/verify-email?token=${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await userByEmail(email)).toMatchObject({ emailVerified: true });
  });

  it("refuses an unknown token with 400 naming token, and verifies nobody", async () => {
    const { email } = await registerWithToken();
    const problem = await expectProblem(
      await call("POST", "/users/verify-email", { body: { token: "A".repeat(43) } }),
      400,
    );
    expect(problem.errors?.map((e) => e.path)).toEqual(["token"]);
    expect(await userByEmail(email)).toMatchObject({ emailVerified: false });
  });

  it("refuses an expired token (24 h)", async () => {
    const { email, token, user } = await registerWithToken();
    await env.DB.prepare("UPDATE email_verifications SET expires_at = ? WHERE user_id = ?")
      .bind(Date.now() - 1, user.id)
      .run();
    const problem = await expectProblem(await call("POST", "/users/verify-email", { body: { token } }), 400);
    expect(problem.errors?.map((e) => e.path)).toEqual(["token"]);
    expect(await userByEmail(email)).toMatchObject({ emailVerified: false });
  });

  it("a token sent to an earlier address cannot verify the current one", async () => {
    const { email, token, user } = await registerWithToken();
    const moved = uniqueEmail("moved");
    await env.DB.prepare("UPDATE users SET email = ? WHERE id = ?").bind(moved, user.id).run();
    await expectProblem(await call("POST", "/users/verify-email", { body: { token } }), 400);
    expect(await userByEmail(moved)).toMatchObject({ emailVerified: false });
    expect(email).not.toBe(moved);
  });

  it("a used token cannot verify again after the address changed", async () => {
    const { token, user } = await registerWithToken();
    expect((await call("POST", "/users/verify-email", { body: { token } })).status).toBe(200);
    await env.DB.prepare("UPDATE users SET email = ?, email_verified = 0, email_verified_at = NULL WHERE id = ?")
      .bind(uniqueEmail("changed"), user.id)
      .run();
    await expectProblem(await call("POST", "/users/verify-email", { body: { token } }), 400);
  });

  it("answers an unknown token with a 400 naming `token`, worded for the person who clicked", async () => {
    const res = await call("GET", `/users/verify-email?token=${"A".repeat(43)}`);
    expect(await expectProblem(res, 400)).toMatchObject({
      code: "bad_request",
      detail: "This verification link is not valid or has expired; sign in to get a new one.",
      errors: [{ path: "token", message: "is not valid or has expired" }],
    });
  });

  it.each([
    ["a missing token", {}],
    ["a short token", { token: "abc" }],
    ["an extra field", { token: "A".repeat(43), userId: "usr_01jd8x3v4k2m9q7r5t6w8y0zab" }],
  ])("answers 400 for %s", async (_what, body) => {
    const problem = await expectProblem(await call("POST", "/users/verify-email", { body }), 400);
    expect(problem.code).toBe("validation_failed");
  });
});

describe("POST /users/me/email/verify", () => {
  async function signedIn() {
    const { email, user } = await registerWithToken();
    return { email, user, token: await mintToken(env.TEST_SIGNING_JWK, { sub: user.id, email }) };
  }

  it("mails a new link that verifies; a second within the minute is 429 and mails nothing", async () => {
    const { email, user, token } = await signedIn();
    // The sign-up's own link counts: pretend it was sent two minutes ago.
    await env.DB.prepare("UPDATE email_verifications SET created_at = created_at - 120000 WHERE user_id = ?")
      .bind(user.id)
      .run();
    const send = vi.spyOn(env.NOTIFICATIONS, "sendBatch");
    const res = await call("POST", "/users/me/email/verify", { token });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: "link_sent" });
    const [message] = sentMessages(send);
    expect(message).toMatchObject({ type: "user.email_verification", userId: user.id });

    const again = await call("POST", "/users/me/email/verify", { token });
    expect((await expectProblem(again, 429)).code).toBe("rate_limited");
    expect(Number(again.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(sentMessages(send)).toHaveLength(1);

    const verified = await call("POST", "/users/verify-email", {
      body: { token: (message?.data as { token?: string } | undefined)?.token ?? "" },
    });
    expect(verified.status).toBe(200);
    expect(await userByEmail(email)).toMatchObject({ emailVerified: true });
    // Verified: nothing more to send.
    expect((await call("POST", "/users/me/email/verify", { token })).status).toBe(409);
  });

  it("needs a signed-in caller", async () => {
    expect((await call("POST", "/users/me/email/verify")).status).toBe(401);
  });
});
