import { env } from "cloudflare:test";
import { ReconciliationReport } from "@shop/contracts";
import { forgedAdminTokens } from "@shop/testing/worker";
import { describe, expect, it } from "vitest";
import { call, problem, shopper } from "../helpers";

const routes = [
  ["POST", "/orders/reconciliation"],
  ["GET", "/orders/reconciliation"],
] as const;

async function runs(): Promise<number> {
  return (await env.DB.prepare("SELECT COUNT(*) AS n FROM reconciliation_runs").first<{ n: number }>())?.n ?? 0;
}

describe("/orders/reconciliation", () => {
  it("GET before the first run → 404 problem; POST runs it and answers the report; GET then shows it", async () => {
    const admin = await shopper("admin");
    const before = await call("GET", "/orders/reconciliation", { token: admin.token });
    expect(before.status).toBe(404);
    expect((await problem(before)).code).toBe("not_found");

    const ran = await call("POST", "/orders/reconciliation", { token: admin.token });
    expect(ran.status).toBe(200);
    expect(ran.headers.get("cache-control")).toBe("no-store");
    const report = ReconciliationReport.parse(await ran.json());
    expect(report).toMatchObject({ complete: true, repairs: [], problems: [] });

    const last = await call("GET", "/orders/reconciliation", { token: admin.token });
    expect(last.status).toBe(200);
    expect(ReconciliationReport.parse(await last.json())).toEqual(report);
  });

  it.each(routes)("%s %s: no token or a forged one → 401; a customer → 403; no run happens", async (method, path) => {
    const before = await runs();
    const anonymous = await call(method, path);
    expect(anonymous.status).toBe(401);
    expect((await problem(anonymous)).code).toBe("unauthorized");
    for (const [what, token] of await forgedAdminTokens(env.TEST_SIGNING_JWK, "usr_01jd8x3v4k2m9q7r5t6w8y0zab")) {
      expect((await call(method, path, { token })).status, what).toBe(401);
    }
    const customer = await shopper();
    const refused = await call(method, path, { token: customer.token });
    expect(refused.status).toBe(403);
    expect((await problem(refused)).code).toBe("forbidden");
    expect(await runs()).toBe(before);
  });

  it("is documented in the OpenAPI document as an admin (bearer) operation", async () => {
    const doc = (await (await call("GET", "/openapi.json")).json()) as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
    };
    const ops = doc.paths["/orders/reconciliation"];
    expect(Object.keys(ops ?? {}).sort()).toEqual(["get", "post"]);
    for (const op of Object.values(ops ?? {})) {
      expect(op.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["200", "401", "403"]));
    }
  });
});
