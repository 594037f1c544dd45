import { baseUrl, call } from "./http";
import { currentMode } from "./modes";
import { admin, eventually } from "./shop";
import { fakeStripe } from "./stripe-fake";

/** Payments as admins see them (every field of the contract's `Payment`). */
export type PaymentView = {
  id: string;
  orderId: string;
  status: string;
  amount: number;
  amountRefunded: number;
  provider: string;
  failureCode: string | null;
  failureMessage: string | null;
  nextAction: { type: "redirect_to_url"; url: string } | null;
  receivedAfterClose: boolean;
};

export async function paymentOf(orderId: string): Promise<PaymentView | undefined> {
  const res = await call("GET", `/payments?orderId=${orderId}&limit=100`, { token: await admin() });
  if (res.status !== 200) throw new Error(`payments of ${orderId} → ${res.status} ${JSON.stringify(res.body)}`);
  const items = res.body.items as PaymentView[];
  if (items.length > 1) throw new Error(`order ${orderId} has ${items.length} payments`);
  return items[0];
}

/** Waits until the order asks the shopper for a step at their bank, and returns where. */
export async function nextActionUrl(token: string, orderId: string): Promise<string> {
  return eventually(
    async () => {
      const o = await call("GET", `/orders/${orderId}`, { token });
      return (o.body?.payment?.nextAction?.url as string | undefined) ?? undefined;
    },
    30_000,
    `3-D Secure next action of ${orderId}`,
  );
}

/**
 * Does what the shopper's browser does on the bank's 3-D Secure page: loads it, picks the form
 * that answers `approve` or `fail`, and submits it (the simulated bank's page through the
 * gateway, or the fake Stripe server's). Returns the answer's status and where it sends the shopper.
 */
export async function answerAuthentication(url: string, result: "approve" | "fail") {
  const page = await fetch(url);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`3-D Secure page ${url} → ${page.status} ${html.slice(0, 300)}`);
  // Each submit button of a form is one possible submission: the form's fields plus that
  // button's own name=value (the simulated bank has a form per answer, Stripe's page one form
  // with a button per answer).
  const submissions = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].flatMap((m) => {
    const attrs = m[1] ?? "";
    const inner = m[2] ?? "";
    const action = new URL(decodeEntities(attr(attrs, "action") ?? "") || url, url).toString();
    const method = (attr(attrs, "method") ?? "get").toUpperCase();
    const base = new URLSearchParams();
    const buttons: [string, string][] = [];
    for (const el of inner.matchAll(/<(input|button)\b([^>]*)>/gi)) {
      const [tag, a] = [el[1]?.toLowerCase(), el[2] ?? ""];
      const name = attr(a, "name");
      const value = decodeEntities(attr(a, "value") ?? "");
      if (name === undefined) continue;
      if (tag === "button" || attr(a, "type") === "submit") buttons.push([name, value]);
      else base.append(name, value);
    }
    const choices = buttons.length ? buttons.map(([n, v]) => new URLSearchParams([...base, [n, v]])) : [base];
    return choices.map((fields) => ({ action, method, fields }));
  });
  const form = submissions.find((f) => f.fields.get("result") === result);
  if (!form) throw new Error(`no "${result}" answer on the 3-D Secure page ${url}: ${html.slice(0, 500)}`);
  const res = await fetch(form.action, {
    method: form.method,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.fields.toString(),
    redirect: "manual",
  });
  return { status: res.status, location: res.headers.get("location") };
}

const attr = (attrs: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`, "i").exec(attrs)?.[1];

function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, "&");
}

/**
 * Lets a bank debit settle. The simulated bank settles on its own after a moment; the fake
 * Stripe server settles an intent when told to (a real ACH debit takes days).
 */
export async function settleBankDebit(orderId: string): Promise<void> {
  if (currentMode() === "stripe") await fakeStripe().settle(await intentOf(orderId));
}

/** The Stripe PaymentIntent id of an order's payment (Stripe mode), found at the fake by metadata. */
export async function intentOf(orderId: string): Promise<string> {
  return eventually(
    async () => (await fakeStripe().intents(orderId))[0]?.id,
    15_000,
    `the fake Stripe intent of ${orderId}`,
  );
}

/** The gateway address a page of this system should live under (the simulated 3-D Secure page). */
export const gatewayOrigin = () => new URL(baseUrl()).origin;
