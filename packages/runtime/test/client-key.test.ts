import { describe, expect, it } from "vitest";
import { clientKey } from "../src/client-key";

describe("clientKey", () => {
  it("keys an IPv4 address by itself", () => {
    expect(clientKey("203.0.113.9")).toBe("203.0.113.9");
    expect(clientKey("203.0.113.10")).not.toBe(clientKey("203.0.113.9"));
  });

  it("keys IPv6 by its /64 whatever the spelling, and different /64s apart", () => {
    const same = [
      "2001:db8:1:2::1",
      "2001:DB8:1:2:ffff:ffff:ffff:ffff",
      "2001:0db8:0001:0002:0:0:0:9",
      "[2001:db8:1:2::7]",
    ];
    for (const ip of same) expect(clientKey(ip)).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
    expect(clientKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
  });

  it("keys an IPv4-mapped IPv6 address as the IPv4 address", () => {
    expect(clientKey("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(clientKey("::ffff:cb00:7109")).toBe("203.0.113.9");
  });

  it("keeps anything else as a bounded label", () => {
    expect(clientKey("local")).toBe("label:local");
    expect(clientKey(undefined)).toBe("label:unknown");
    expect(clientKey("1:2:3:4:5:6:7:8:9")).toBe("label:1:2:3:4:5:6:7:8:9");
    expect(clientKey("x".repeat(500)).length).toBeLessThanOrEqual(70);
  });
});
