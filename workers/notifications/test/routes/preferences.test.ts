import { describe, expect, it } from "vitest";
import { api, registerUser } from "../helpers";

describe("GET/PUT /notifications/preferences", () => {
  it("starts with everything on and remembers changes", async () => {
    const user = await registerUser();
    const initial = await api("/notifications/preferences", { token: user.token });
    expect(initial.status).toBe(200);
    expect(await initial.json()).toEqual({
      emailTransactional: true,
      emailOptional: true,
      sms: true,
      emailStatus: "ok",
    });

    const put = await api("/notifications/preferences", { method: "PUT", token: user.token, json: { sms: false } });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ emailOptional: true, sms: false });

    await api("/notifications/preferences", { method: "PUT", token: user.token, json: { emailOptional: false } });
    const after = await api("/notifications/preferences", { token: user.token });
    expect(await after.json()).toMatchObject({ emailTransactional: true, emailOptional: false, sms: false });
  });

  it("refuses to turn transactional email off, naming the field", async () => {
    const user = await registerUser();
    const res = await api("/notifications/preferences", {
      method: "PUT",
      token: user.token,
      json: { emailTransactional: false, sms: false },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const body = (await res.json()) as { errors: { path: string; message: string }[] };
    expect(body.errors).toEqual([{ path: "emailTransactional", message: "transactional email cannot be turned off" }]);
    // Nothing was changed by the refused request.
    expect(await (await api("/notifications/preferences", { token: user.token })).json()).toMatchObject({ sms: true });
  });

  it("refuses an empty update (no body, or {}) with 400", async () => {
    const user = await registerUser();
    expect((await api("/notifications/preferences", { method: "PUT", token: user.token })).status).toBe(400);
    expect((await api("/notifications/preferences", { method: "PUT", token: user.token, json: {} })).status).toBe(400);
  });

  it("rejects unknown fields and wrong types with 400 problem+json", async () => {
    const user = await registerUser();
    const unknown = await api("/notifications/preferences", { method: "PUT", token: user.token, json: { push: true } });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe("push");
    const wrongType = await api("/notifications/preferences", {
      method: "PUT",
      token: user.token,
      json: { sms: "no" },
    });
    expect(wrongType.status).toBe(400);
    const notJson = await api("/notifications/preferences", {
      method: "PUT",
      token: user.token,
      body: "sms=false",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(notJson.status).toBe(415);
  });

  it("each user has their own preferences", async () => {
    const a = await registerUser();
    const b = await registerUser();
    await api("/notifications/preferences", { method: "PUT", token: a.token, json: { sms: false } });
    expect(await (await api("/notifications/preferences", { token: b.token })).json()).toMatchObject({ sms: true });
  });

  it("needs a valid token", async () => {
    expect((await api("/notifications/preferences")).status).toBe(401);
    expect((await api("/notifications/preferences", { token: "not.a.token" })).status).toBe(401);
    expect((await api("/notifications/preferences", { method: "PUT", json: { sms: false } })).status).toBe(401);
  });
});
