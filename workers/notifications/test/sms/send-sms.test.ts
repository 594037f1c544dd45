import { afterEach, describe, expect, it, vi } from "vitest";
import { retryAfterMs, sendSms } from "../../src/sms/send-sms";
import { fakeSmsApi } from "../helpers";

const CONFIG = { apiUrl: "https://sms.test", accountSid: "ACtest", authToken: "test-token", from: "+15005550006" };

afterEach(() => vi.restoreAllMocks());

function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe("SMS adapter", () => {
  it("posts form-encoded To/From/Body with basic auth to the Twilio-style endpoint", async () => {
    const api = fakeSmsApi([201]);
    const result = await sendSms(CONFIG, "+14155550123", "hello");
    expect(result).toEqual({ ok: true, providerId: "SM1", attempts: 1 });
    expect(api.calls).toEqual([
      { to: "+14155550123", from: "+15005550006", body: "hello", auth: `Basic ${btoa("ACtest:test-token")}` },
    ]);
    expect(String(api.spy.mock.calls[0]?.[0])).toBe("https://sms.test/2010-04-01/Accounts/ACtest/Messages.json");
  });

  it("retries 5xx with growing backoff, then succeeds", async () => {
    const api = fakeSmsApi([500, 502, 201]);
    const { waits, sleep } = recordingSleep();
    const result = await sendSms(CONFIG, "+14155550123", "hi", { sleep, baseDelayMs: 100 });
    expect(result).toMatchObject({ ok: true, attempts: 3 });
    expect(api.calls).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeGreaterThanOrEqual(200);
  });

  it("honours Retry-After on 429", async () => {
    fakeSmsApi([{ status: 429, headers: { "retry-after": "2" } }, 201]);
    const { waits, sleep } = recordingSleep();
    expect(await sendSms(CONFIG, "+14155550123", "hi", { sleep })).toMatchObject({ ok: true });
    expect(waits).toEqual([2000]);
  });

  it("does not retry other 4xx and reports the provider's message", async () => {
    const api = fakeSmsApi([400]);
    const result = await sendSms(CONFIG, "+14155550123", "hi", recordingSleep());
    expect(result).toEqual({ ok: false, retryable: false, error: "400: provider said 400", attempts: 1 });
    expect(api.calls).toHaveLength(1);
  });

  it("gives up after the bounded attempts, retryable", async () => {
    const api = fakeSmsApi([503]);
    const result = await sendSms(CONFIG, "+14155550123", "hi", { ...recordingSleep(), maxAttempts: 3 });
    expect(result).toMatchObject({ ok: false, retryable: true, attempts: 3 });
    expect(api.calls).toHaveLength(3);
  });

  it("refuses a number that is not E.164 without calling the provider", async () => {
    const api = fakeSmsApi([201]);
    expect(await sendSms(CONFIG, "0155 5501", "hi")).toMatchObject({ ok: false, retryable: false });
    expect(api.calls).toHaveLength(0);
  });

  it("treats a timeout as retryable", async () => {
    vi.spyOn(globalThis, "fetch").mockRejectedValue(new DOMException("timed out", "TimeoutError"));
    const result = await sendSms(CONFIG, "+14155550123", "hi", { ...recordingSleep(), maxAttempts: 2 });
    expect(result).toEqual({ ok: false, retryable: true, error: "SMS API timed out", attempts: 2 });
  });

  it("parses Retry-After as seconds or an HTTP date", () => {
    expect(retryAfterMs("3")).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs("soon")).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});
