import { env } from "cloudflare:workers";
import { newId, serviceContextFor } from "@shop/runtime";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import type { NotificationsBindings } from "../../src/env";
import { admitSms, smsCaps } from "../../src/services/sms-caps/admit-sms";
import { countryCallingCode } from "../../src/services/sms-caps/country-code";

const caps = { perNumber: 3, perCountry: 5, windowMs: 60_000 };
/** One admission as a delivery at `now` asks for it, under the test's small caps. */
const admit = (deliveryId: string, recipient: string, now: number) =>
  admitSms(
    serviceContextFor({
      db: database(env.DB),
      env: env as unknown as NotificationsBindings,
      now,
      defer: () => {},
    }),
    { deliveryId, recipient, caps },
  );
let n = 0;
const number = (cc: string) => `${cc}${String(Date.now()).slice(-7)}${String(++n).padStart(3, "0")}`;

describe("countryCallingCode", () => {
  it.each([
    ["+14155550123", "+1"],
    ["+79161234567", "+7"],
    ["+447700900123", "+44"],
    ["+4930123456", "+49"],
    ["+2348012345678", "+234"],
    ["+881612345678", "+881"],
    ["+35312345678", "+353"],
  ])("%s → %s", (phone, code) => {
    expect(countryCallingCode(phone)).toBe(code);
  });
});

describe("admitSms", () => {
  it("admits up to the per-number cap, then refuses with the reason; a window later it admits again", async () => {
    const to = number("+33");
    const now = Date.now();
    for (let i = 0; i < 3; i++) expect(await admit(newId("notification"), to, now + i)).toEqual({ admitted: true });
    const refused = await admit(newId("notification"), to, now + 3);
    expect(refused).toEqual({ admitted: false, reason: expect.stringMatching(/3 SMS per hour to this number/) });
    expect(await admit(newId("notification"), to, now + caps.windowMs + 10)).toEqual({ admitted: true });
  });

  it("caps a country calling code across many numbers, and leaves other countries alone", async () => {
    const now = Date.now();
    for (let i = 0; i < 5; i++) expect((await admit(newId("notification"), number("+353"), now)).admitted).toBe(true);
    const refused = await admit(newId("notification"), number("+353"), now);
    expect(refused).toEqual({ admitted: false, reason: expect.stringMatching(/country code \+353/) });
    expect((await admit(newId("notification"), number("+354"), now)).admitted).toBe(true);
  });

  it("counts one delivery once: a retry of an admitted delivery stays admitted", async () => {
    const to = number("+31");
    const id = newId("notification");
    const now = Date.now();
    for (let i = 0; i < 5; i++) expect((await admit(id, to, now)).admitted).toBe(true);
    const { results } = await env.DB.prepare("SELECT count(*) AS c FROM sms_sends WHERE recipient = ?")
      .bind(to)
      .all<{ c: number }>();
    expect(results[0]?.c).toBe(1);
  });

  it("is atomic: 12 concurrent sends to one number admit exactly the cap", async () => {
    const to = number("+46");
    const now = Date.now();
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => admit(newId("notification"), to, now)));
    expect(outcomes.filter((o) => o.admitted)).toHaveLength(3);
  });
});

describe("smsCaps", () => {
  it("takes positive integer overrides and ignores anything else", () => {
    expect(smsCaps({})).toMatchObject({ perNumber: 5, perCountry: 200 });
    expect(smsCaps({ SMS_CAP_PER_NUMBER: "2", SMS_CAP_PER_COUNTRY: "1000" })).toMatchObject({
      perNumber: 2,
      perCountry: 1000,
    });
    expect(smsCaps({ SMS_CAP_PER_NUMBER: "0", SMS_CAP_PER_COUNTRY: "lots" })).toMatchObject({
      perNumber: 5,
      perCountry: 200,
    });
  });
});
