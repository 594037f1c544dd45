import type { Context } from "hono";
import type { GatewayEnv } from "../env";
import { SERVICES, type ServiceBinding } from "../services";

type OpenApiDoc = {
  openapi?: string;
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
};

const CACHE_MS = 60_000;
let cached: { at: number; doc: unknown } | undefined;

/** Where the introduction lives: a static asset (also readable as plain Markdown there). */
const INTRODUCTION_PATH = "/docs/introduction.md";

/** The introduction (Markdown) from the static assets; undefined where they are not bound. */
async function introduction(c: Context<GatewayEnv>): Promise<string | undefined> {
  try {
    const res = await c.env.ASSETS.fetch(new URL(INTRODUCTION_PATH, c.req.url));
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `GET /openapi.json`: the services' own documents merged into one. Each service is the
 * source of truth for its routes; a service that is down is left out (and named).
 */
export async function mergedOpenApi(c: Context<GatewayEnv>): Promise<Response> {
  if (cached && Date.now() - cached.at < CACHE_MS) return c.json(cached.doc);
  const paths: Record<string, unknown> = {
    "/health": {
      get: {
        summary: "Health of every service",
        tags: ["gateway"],
        responses: { "200": { description: "All up" }, "503": { description: "Some service is down" } },
      },
    },
  };
  const schemas: Record<string, unknown> = {};
  const missing: string[] = [];
  const [intro] = await Promise.all([
    introduction(c),
    ...(Object.keys(SERVICES) as ServiceBinding[]).map(async (binding) => {
      const service = c.env[binding];
      try {
        if (!service) throw new Error("absent");
        const res = await service.fetch("https://internal/openapi.json");
        if (!res.ok) throw new Error(String(res.status));
        const doc = (await res.json()) as OpenApiDoc;
        Object.assign(paths, doc.paths ?? {});
        Object.assign(schemas, doc.components?.schemas ?? {});
      } catch {
        missing.push(SERVICES[binding].name);
      }
    }),
  ]);
  const doc = {
    openapi: "3.1.0",
    info: {
      title: "Shop at the edge API",
      version: "1.0.0",
      // The introduction (Markdown, shown first by /docs); a note first when part of the API is missing.
      description:
        [missing.length ? `> **Not included** (service unavailable): ${missing.sort().join(", ")}` : "", intro ?? ""]
          .filter(Boolean)
          .join("\n\n") || undefined,
    },
    servers: [{ url: new URL(c.req.url).origin }],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      schemas,
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    },
  };
  if (!missing.length && intro) cached = { at: Date.now(), doc };
  return c.json(doc);
}
