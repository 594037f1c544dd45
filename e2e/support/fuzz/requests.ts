import fc from "fast-check";
import type { Op, Parameter } from "./openapi";
import { type GenContext, invalidValue, validValue } from "./schema-arbitrary";

export type Who = "none" | "customer" | "admin" | "bogus";

/** One generated request, before auth is resolved to a token. */
export type FuzzRequest = {
  op: string;
  /** What the generator aimed for: "valid", or the rule it broke. */
  intent: string;
  who: Who;
  /** For `bogus`: the Authorization header to send. */
  badAuth?: string;
  pathParams: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  /** The body as sent: raw text plus its content type (absent = no body). */
  body?: { text: string; contentType?: string };
};

const BOGUS_AUTH = fc.oneof(
  fc.constant("Bearer "),
  fc.constant("Bearer not-a-jwt"),
  fc.constant("Basic YWRtaW5Ac2hvcC5sb2NhbDphZG1pbi1wYXNzLTIwMjY="),
  // alg "none", claims an admin
  fc.constant(
    `Bearer ${b64url({ alg: "none", typ: "JWT" })}.${b64url({ sub: "usr_01jd8x3v4k2m9q7r5t6w8y0zab", role: "admin", exp: 4102444800 })}.`,
  ),
  // well-formed, signed with a key nobody knows
  fc
    .stringMatching(/^[A-Za-z0-9_-]{43}$/)
    .map(
      (sig) =>
        `Bearer ${b64url({ alg: "EdDSA", typ: "JWT", kid: "forged" })}.${b64url({ sub: "usr_01jd8x3v4k2m9q7r5t6w8y0zab", role: "admin", exp: 4102444800 })}.${sig}`,
    ),
  fc.stringMatching(/^Bearer [\x21-\x7e]{1,300}$/),
);

function b64url(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString("base64url");
}

const GARBAGE_JSON = fc.oneof(
  fc.constantFrom("{", '{"a":', "nul", "{'single':'quotes'}", "[1,2,", "{}}", "\u0000", "NaN", '{"a":1,}', "undefined"),
  fc.constant(`${"[".repeat(5000)}${"]".repeat(5000)}`),
  fc.string({ minLength: 1, maxLength: 60 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
);
/** JSON of the wrong shape entirely (the schema decides whether it is wrong). */
const ODD_JSON = fc.constantFrom("null", "[]", '"a string"', "42", "true", "{}", '[{"a":1}]');
const WRONG_TYPES = fc.constantFrom(
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=fuzz",
  "application/xml",
  "application/octet-stream",
);
/** Just over the 1 MB body limit every worker enforces. */
const HUGE = `{"pad":"${"x".repeat(1024 * 1024 + 16)}"}`;

/** A header value fetch can send: printable ASCII, no surrounding blanks. */
const headerSafe = (v: string) => /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(v);
/** A path segment that survives URL normalisation as one segment. */
const segmentSafe = (v: string) => v.length > 0 && v !== "." && v !== "..";

function asParamString(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

function paramArb(p: Parameter, ctx: GenContext, valid: boolean): fc.Arbitrary<string | undefined> {
  const base = valid ? validValue(p.schema ?? true, ctx, p.name) : invalidValue(p.schema ?? true, ctx);
  // URLs and headers past a few kB are refused by the platform (414/431) before any service sees them.
  let arb = base.map(asParamString).filter((v) => v === undefined || encodeURIComponent(v).length <= 4000);
  if (p.in === "header") arb = arb.filter((v) => v === undefined || headerSafe(v));
  if (p.in === "path") arb = arb.filter((v) => v !== undefined && segmentSafe(v));
  return arb;
}

type Parts = Pick<FuzzRequest, "pathParams" | "query" | "headers" | "intent"> & { body?: FuzzRequest["body"] };

function assemble(op: Op, values: (string | undefined)[], intent: string, body?: FuzzRequest["body"]): Parts {
  const parts: Parts = { intent, pathParams: {}, query: [], headers: {}, body };
  op.params.forEach((p, i) => {
    const v = values[i];
    if (v === undefined) return;
    if (p.in === "path") parts.pathParams[p.name] = v;
    else if (p.in === "query") parts.query.push([p.name, v]);
    else if (p.in === "header") parts.headers[p.name.toLowerCase()] = v;
  });
  return parts;
}

/** All parameters valid (optional ones present or not). */
function validParams(op: Op, ctx: GenContext): fc.Arbitrary<(string | undefined)[]> {
  return fc.tuple(
    ...op.params.map((p) =>
      p.required || p.in === "path"
        ? paramArb(p, ctx, true)
        : fc.option(paramArb(p, ctx, true), { nil: undefined, freq: 2 }).map((v) => v ?? undefined),
    ),
  );
}

function jsonBody(value: unknown): FuzzRequest["body"] {
  return value === undefined ? undefined : { text: JSON.stringify(value), contentType: "application/json" };
}

/**
 * Requests for one operation: a weighted mix of valid ones (from the documented schemas,
 * with real ids where the context knows some) and ones that break one thing — a parameter,
 * the body's schema, the body's syntax or its content type — each sent as nobody, a
 * customer, an admin, or with a forged/garbage Authorization header.
 */
export function requestArb(op: Op, ctx: GenContext, opts: { whos?: Who[] } = {}): fc.Arbitrary<FuzzRequest> {
  const valid = validParams(op, ctx);
  const validBody = op.body ? validValue(op.body.schema, ctx) : fc.constant(undefined);
  const variants: fc.WeightedArbitrary<Parts>[] = [
    {
      weight: 9,
      arbitrary: fc.tuple(valid, validBody).map(([vals, b]) => assemble(op, vals, "valid", jsonBody(b))),
    },
  ];
  if (op.params.length) {
    variants.push({
      weight: 3,
      arbitrary: fc.tuple(valid, validBody, fc.nat(op.params.length - 1), fc.boolean()).chain(([vals, b, i, drop]) => {
        const p = op.params[i] as Parameter;
        const bad: fc.Arbitrary<string | undefined> =
          drop && p.required && p.in !== "path" ? fc.constant(undefined) : paramArb(p, ctx, false);
        return bad.map((v) => {
          const copy = [...vals];
          copy[i] = v;
          return assemble(op, copy, `${p.in} ${p.name}: ${v === undefined ? "missing" : "invalid"}`, jsonBody(b));
        });
      }),
    });
  }
  if (op.body) {
    const body = op.body;
    variants.push(
      {
        weight: 5,
        arbitrary: fc
          .tuple(valid, invalidValue(body.schema, ctx))
          .map(([vals, b]) => assemble(op, vals, "body: breaks the schema", jsonBody(b))),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(valid, GARBAGE_JSON)
          .map(([vals, text]) => assemble(op, vals, "body: not JSON", { text, contentType: "application/json" })),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(valid, ODD_JSON)
          .map(([vals, text]) => assemble(op, vals, "body: odd JSON", { text, contentType: "application/json" })),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(valid, validBody, WRONG_TYPES)
          .map(([vals, b, type]) =>
            assemble(op, vals, `body: sent as ${type}`, { text: JSON.stringify(b ?? {}), contentType: type }),
          ),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(valid, fc.boolean())
          .map(([vals, untyped]) =>
            untyped
              ? assemble(op, vals, "body: JSON without a content type", { text: '{"a":1}' })
              : assemble(op, vals, "body: missing"),
          ),
      },
    );
  }
  const whos = opts.whos ?? ["none", "customer", "admin", "bogus"];
  const whoArb = fc.oneof(
    ...whos.map((w) => ({ weight: w === "bogus" ? 1 : w === "none" ? 2 : 3, arbitrary: fc.constant(w) })),
  );
  return fc.tuple(fc.oneof(...variants), whoArb, BOGUS_AUTH).map(([parts, who, bad]) => ({
    op: op.id,
    who,
    ...(who === "bogus" ? { badAuth: bad } : {}),
    ...parts,
  }));
}

/** The same request with a body just over the size limit (sent once per operation that takes a body). */
export function oversized(base: FuzzRequest): FuzzRequest {
  return { ...base, intent: "body: over 1 MB", body: { text: HUGE, contentType: "application/json" } };
}
