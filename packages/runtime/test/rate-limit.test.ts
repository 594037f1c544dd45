import { describe, expect, it } from "vitest";
import { clientKey } from "../src/client-key";

describe("clientKey", () => {
  it("keeps an IPv4 address as it is, also when IPv4-mapped", () => {
    expect(clientKey("203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("keys every IPv6 address of one /64 alike, however it is written", () => {
    const key = clientKey("2001:db8:1:2::1");
    expect(key).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:0DB8:0001:0002:ffff:eeee:dddd:cccc")).toBe(key);
    expect(clientKey("2001:db8:1:2:0:0:0:9")).toBe(key);
  });

  it("tells neighbouring /64s apart, and expands a :: inside the prefix", () => {
    expect(clientKey("2001:db8:1:3::1")).not.toBe(clientKey("2001:db8:1:2::1"));
    expect(clientKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
  });
});
