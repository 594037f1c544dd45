import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

const ORIGIN = "https://shop.test";

/** The configuration /docs hands to the reference UI (the object literal in its inline script). */
async function docsConfig(): Promise<Record<string, unknown>> {
  const html = await (await SELF.fetch(`${ORIGIN}/docs`)).text();
  const literal = html.match(/createApiReference\('#app', (\{[\s\S]*?\})\)\s*<\/script>/)?.[1];
  expect(literal, "the page boots the reference with a configuration").toBeDefined();
  return JSON.parse(literal as string);
}

describe("API documentation", () => {
  it("opens the merged document with the introduction: sign-in, idempotency, errors, paging, limits, checkout", async () => {
    const doc = (await (await SELF.fetch(`${ORIGIN}/openapi.json`)).json()) as { info: { description: string } };
    const intro = doc.info.description;
    const headings = [...intro.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual([
      "Quick start: a checkout with curl",
      "Signing in",
      "Idempotency-Key",
      "Errors",
      "Paging",
      "Rate limits",
      "Checkout and order states",
    ]);
    // What a client must know, stated where the reader looks first.
    for (const fact of [
      "shop_refresh",
      "Path=/users",
      "Authorization: Bearer",
      "idempotent-replayed: true",
      "idempotency_key_reused",
      "application/problem+json",
      "nextCursor",
      "Retry-After",
      "awaiting_payment",
    ]) {
      expect(intro, fact).toContain(fact);
    }
    // The runnable example: one sh block against BASE, the local shop by default.
    const blocks = [...intro.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion
    expect(blocks[0]).toContain('BASE="${BASE:-http://localhost:8787}"');
    expect(blocks[0]).toContain("pm_card_visa");
    // A service that is down is still named, before the introduction.
    expect(intro.startsWith("> **Not included** (service unavailable): notifications")).toBe(true);
  });

  it("configures the reference for a self-hosted API: no hosted-product buttons, no outside fonts or telemetry", async () => {
    const config = await docsConfig();
    expect(config).toMatchObject({
      url: "/openapi.json",
      agent: { disabled: true },
      mcp: { disabled: true },
      showDeveloperTools: "never",
      hideClientButton: true,
      withDefaultFonts: false,
      telemetry: false,
    });
    // "Test Request" stays: it calls this origin.
    expect(config.hideTestRequestButton).not.toBe(true);
  });
});
