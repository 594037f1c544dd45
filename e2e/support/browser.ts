import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { baseUrl } from "./http";

/** Screenshots land here (git-ignored); CI keeps the folder as a test artifact. */
export const ARTIFACTS = join(import.meta.dirname, "..", "artifacts");

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Debian's Chromium, headless; `npx playwright install` cannot download here. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

export type Shopper = { context: BrowserContext; page: Page; errors: string[] };

/**
 * A fresh browser profile (own localStorage: own guest cart and session) on the storefront.
 * Page errors and CSP violations are collected, so a test can assert the page ran cleanly.
 */
export async function newShopper(
  browser: Browser,
  baseUrl: string,
  viewport = { width: 1280, height: 900 },
): Promise<Shopper> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error" && /Content Security Policy|Refused to/i.test(msg.text())) errors.push(msg.text());
  });
  page.setDefaultTimeout(20_000);
  return { context, page, errors };
}

/** Full-page screenshot into e2e/artifacts/<name>.png; returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * One Chromium for a describe block: launched before its tests and closed after them, and every
 * shopper it opened must have run without page errors or CSP violations. `open()` is a fresh
 * browser profile on the system under test.
 */
export function useBrowser(): { open: () => Promise<Shopper> } {
  let browser: Browser | undefined;
  const shoppers: Shopper[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const s of shoppers) expect(s.errors, "page errors / CSP violations").toEqual([]);
    await browser?.close();
  });
  return {
    async open() {
      if (!browser) throw new Error("the browser is launched in beforeAll");
      const shopper = await newShopper(browser, baseUrl());
      shoppers.push(shopper);
      return shopper;
    },
  };
}

/** Signs in through the storefront's login page, as a person does. */
export async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto("/#/login");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.hash.startsWith("#/login"));
}
