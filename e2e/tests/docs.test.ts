import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS, launchBrowser, newShopper } from "../support/browser";
import { baseUrl, call, DEMO, login } from "../support/http";

const run = promisify(execFile);

/** The sections a reader finds first, in the order the introduction gives them. */
const SECTIONS = [
  "Quick start: a checkout with curl",
  "Signing in",
  "Idempotency-Key",
  "Errors",
  "Paging",
  "Rate limits",
  "Checkout and order states",
];

/** Labels of the reference UI's entry points into Scalar's hosted products. */
const HOSTED =
  /^(Ask AI|Generate MCP|Deploy|Share|Configure|Developer Tools|Open API Client|VS Code|Cursor|Open in .*)$/i;

/** The introduction as served: the merged document's `info.description`. */
async function servedIntroduction(): Promise<string> {
  const doc = await call("GET", "/openapi.json");
  expect(doc.status).toBe(200);
  expect(typeof doc.body.info.description).toBe("string");
  return doc.body.info.description;
}

describe("API documentation", () => {
  it("runs the introduction's shell examples as written: sign in, cart, order with an Idempotency-Key, paid", async () => {
    const intro = await servedIntroduction();
    const blocks = [...intro.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
    expect(blocks.length).toBeGreaterThan(0);
    // Every sh block, in order, as one pasted session (later blocks use the quick start's BASE and json).
    const script = blocks.join("\n");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion
    expect(script).toContain('BASE="${BASE:-http://localhost:8787}"');

    const { stdout } = await run("bash", ["-euo", "pipefail", "-c", script], {
      env: { ...process.env, BASE: baseUrl() },
      timeout: 60_000,
    }).catch((err: { code?: number; stdout?: string; stderr?: string }) => {
      throw new Error(`example exited ${err.code}\n--- stdout\n${err.stdout}\n--- stderr\n${err.stderr}`);
    });

    const orderId = stdout.match(/^order: (ord_\w+)$/m)?.[1];
    expect(orderId, stdout).toBeDefined();
    expect(stdout).toMatch(/^status: paid$/m);
    expect(stdout).toMatch(/^idempotent-replayed: true\s*$/im);
    // The order the example placed really is the demo customer's, and paid.
    const { accessToken } = await login(DEMO);
    const order = await call("GET", `/orders/${orderId}`, { token: accessToken });
    expect(order.status).toBe(200);
    expect(order.body).toMatchObject({ status: "paid", payment: { status: "succeeded" } });
    expect(order.body.userId).toBe((await call("GET", "/users/me", { token: accessToken })).body.id);
  });

  describe("the reference page in a browser", () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it("opens with the introduction, offers no hosted-product buttons, and tries requests against this server", async () => {
      const { page, errors, context } = await newShopper(browser, baseUrl(), { width: 1400, height: 1000 });
      await page.goto("/docs");
      await page.getByRole("heading", { name: SECTIONS[0] }).waitFor();

      const headings = await page.locator(".introduction-description h2").allTextContents();
      expect(headings.map((h) => h.trim())).toEqual(SECTIONS);
      await page.screenshot({ path: join(ARTIFACTS, "13-api-docs.png") });

      // No control leads to a hosted product; the only link off this site besides the
      // introduction's references is the "Powered by Scalar" credit.
      const controls = await page.evaluate(() =>
        Array.from(document.querySelectorAll("button, a, [role=button], [role=menuitem]")).map((e) => ({
          label: (e.getAttribute("aria-label") || e.textContent || "").trim().replace(/\s+/g, " "),
          href: (e as HTMLAnchorElement).href || "",
        })),
      );
      expect(controls.length).toBeGreaterThan(20);
      expect(controls.filter((c) => HOSTED.test(c.label))).toEqual([]);
      const offSite = controls.filter((c) => c.href.startsWith("http") && !c.href.startsWith(baseUrl()));
      expect(offSite.filter((c) => /scalar\.com/.test(c.href) && !/^Powered by Scalar$/i.test(c.label))).toEqual([]);

      // "Test Request" sends from this page to this origin: the first operation after the
      // introduction (operations render as they scroll into view), sent with Ctrl+Enter.
      await page.locator(".introduction-section").evaluate((e) => e.scrollIntoView({ block: "end" }));
      const tryIt = page.getByRole("button", { name: /Test Request/ }).first();
      await tryIt.click();
      const answered = page.waitForResponse(
        (r) =>
          r.request().resourceType() === "fetch" && r.url().startsWith(baseUrl()) && !r.url().endsWith("/openapi.json"),
      );
      await page.keyboard.press("Control+Enter");
      expect((await answered).status()).toBe(200);
      await page.getByText("200 OK").first().waitFor();

      // Nothing blocked by the page's CSP (no outside fonts), no script errors.
      expect(errors).toEqual([]);
      await context.close();
    });
  });
});
