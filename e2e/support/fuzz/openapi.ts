import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { Doc, Schema } from "./schema-arbitrary";

/** The parts of an OpenAPI 3.1 document the fuzzer reads. */
export type Parameter = {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: Schema;
};
export type MediaType = { schema?: Schema };
export type ResponseObject = { description?: string; content?: Record<string, MediaType> };
export type Operation = {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, MediaType> };
  responses: Record<string, ResponseObject>;
  security?: Record<string, string[]>[];
  tags?: string[];
};
export type OpenApiDoc = Doc & { info?: { description?: string }; paths: Record<string, Record<string, Operation>> };

export type Op = {
  /** "PATCH /products/{id}" */
  id: string;
  method: string;
  path: string;
  op: Operation;
  params: Parameter[];
  /** The JSON request body schema, when the operation takes one. */
  body?: { schema: Schema; required: boolean };
  /** A bearer token is required (no `{}` alternative in `security`). */
  authRequired: boolean;
  /** Who answers: the first tag (the service that published the route). */
  service: string;
};

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

export function operationsOf(doc: OpenApiDoc): Op[] {
  const out: Op[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const json = Object.entries(op.requestBody?.content ?? {}).find(([type]) => /json/i.test(type));
      const security = op.security ?? [];
      out.push({
        id: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        op,
        params: (op.parameters ?? []).filter((p) => p.in !== "cookie"),
        body: json ? { schema: json[1].schema ?? true, required: op.requestBody?.required === true } : undefined,
        authRequired: security.length > 0 && !security.some((s) => Object.keys(s).length === 0),
        service: op.tags?.[0] ?? "unknown",
      });
    }
  }
  return out;
}

const DOC_ID = "https://fuzz.shop.local/openapi.json";

/** Rewrites local refs (`#/components/...`) so they resolve inside the registered document. */
function absolutize<T>(value: T): T {
  if (Array.isArray(value)) return value.map(absolutize) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === "$ref" && typeof v === "string" && v.startsWith("#/") ? `${DOC_ID}${v}` : absolutize(v);
    }
    return out as T;
  }
  return value;
}

/**
 * Validators over the document's schemas (ajv, JSON Schema 2020-12, formats on).
 * `response` checks bodies; `param` checks a parameter as the server sees it (a string,
 * coerced to the declared type, as query strings and headers are).
 */
export function validators(doc: OpenApiDoc) {
  const make = (coerceTypes: boolean) => {
    const ajv = new Ajv2020({ strict: false, allErrors: true, coerceTypes, validateFormats: true });
    addFormats(ajv);
    ajv.addSchema({ $id: DOC_ID, components: absolutize(doc.components ?? {}) });
    return ajv;
  };
  const plain = make(false);
  const coercing = make(true);
  const bodies = new Map<Schema, ValidateFunction>();
  const params = new Map<Schema, ValidateFunction>();
  return {
    /** Validates a JSON value; returns ajv's error text, or undefined when valid. */
    body(schema: Schema, value: unknown): string | undefined {
      let fn = bodies.get(schema);
      if (!fn) {
        fn = plain.compile(typeof schema === "boolean" ? schema : absolutize(schema));
        bodies.set(schema, fn);
      }
      return fn(value) ? undefined : plain.errorsText(fn.errors, { separator: "; " });
    },
    param(schema: Schema, raw: string): boolean {
      let fn = params.get(schema);
      if (!fn) {
        const inner = typeof schema === "boolean" ? schema : absolutize(schema);
        fn = coercing.compile({ type: "object", properties: { v: inner }, required: ["v"] });
        params.set(schema, fn);
      }
      return fn({ v: raw });
    },
  };
}
