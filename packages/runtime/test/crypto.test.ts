import { describe, expect, it } from "vitest";
import { fromBase64, randomToken, toBase64 } from "../src/crypto";
import { decodeCursor, encodeCursor } from "../src/cursor";

describe("base64 helpers", () => {
  it("randomToken is unpadded base64url of the requested bytes", () => {
    expect(randomToken(16)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("standard base64 round-trips bytes that need + and / and padding", () => {
    const bytes = Uint8Array.from([0xfb, 0xff, 0xbf, 0x00]);
    expect(toBase64(bytes)).toBe("+/+/AA==");
    expect(fromBase64("+/+/AA==")).toEqual(bytes);
    expect(() => fromBase64("not base64!")).toThrow();
  });

  it("cursors carry any text and refuse standard base64", () => {
    const cursor = encodeCursor(["Zoë Ünïcode ✓", 3]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(["Zoë Ünïcode ✓", 3]);
    expect(() => decodeCursor(`${cursor.slice(0, -2)}+/`)).toThrowError(/cursor/);
  });
});
