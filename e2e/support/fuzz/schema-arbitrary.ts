import fc from "fast-check";

/**
 * JSON Schema (the OpenAPI 3.1 dialect the services publish) → fast-check arbitraries.
 * `validValue` generates values the schema accepts; `invalidValue` generates values that
 * break exactly one rule of it (wrong type, missing required field, unknown field, too long,
 * out of range, not matching the pattern or enum, too many items). Whether a generated
 * request really is valid is decided afterwards by ajv, so a generator that misses now and
 * then only moves a request from one bucket to the other.
 */

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema is untyped JSON
export type SchemaObject = Record<string, any>;
export type Schema = boolean | SchemaObject;
export type Doc = { components?: { schemas?: Record<string, Schema> } };

export type GenContext = {
  doc: Doc;
  /** Known real values for a string schema (e.g. ids of products this run created), by schema or field name. */
  pool?: (schema: Record<string, unknown>, name: string | undefined) => readonly string[] | undefined;
};

const MAX_DEPTH = 8;

export function deref(schema: Schema, doc: Doc): Schema {
  let s = schema;
  for (let i = 0; i < 20 && typeof s === "object" && typeof s.$ref === "string"; i++) {
    const m = /^#\/components\/schemas\/(.+)$/.exec(s.$ref);
    if (!m) throw new Error(`unsupported $ref ${s.$ref}`);
    const target = doc.components?.schemas?.[decodeURIComponent(m[1] ?? "")];
    if (target === undefined) throw new Error(`dangling $ref ${s.$ref}`);
    const { $ref: _ref, ...rest } = s;
    s = Object.keys(rest).length && typeof target === "object" ? { ...target, ...rest } : target;
  }
  return s;
}

export function typesOf(s: Record<string, unknown>): string[] {
  const t = s.type;
  const types = Array.isArray(t) ? [...t] : typeof t === "string" ? [t] : [];
  if (!types.length) {
    if (s.properties || s.additionalProperties !== undefined || s.required) types.push("object");
    else if (s.items) types.push("array");
  }
  if (s.nullable === true && !types.includes("null")) types.push("null");
  return types;
}

/** Length in code points, as JSON Schema counts it. */
export const cpLength = (s: string) => Array.from(s).length;

const anyJson = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1000, max: 1000 }),
  fc.string({ maxLength: 10 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

export function validValue(schema: Schema, ctx: GenContext, name?: string, depth = 0): fc.Arbitrary<unknown> {
  const s = deref(schema, ctx.doc);
  if (s === true) return anyJson;
  if (s === false) return fc.constant(undefined);
  if (depth > MAX_DEPTH) return fc.constant(null);
  if ("const" in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...s.enum);
  const { oneOf, anyOf, allOf, ...base } = s;
  const alts = (oneOf ?? anyOf) as Schema[] | undefined;
  if (alts?.length) {
    return fc.oneof(...alts.map((alt) => validValue(merge(base, deref(alt, ctx.doc)), ctx, name, depth + 1)));
  }
  if (Array.isArray(allOf))
    return validValue(
      allOf.reduce((acc: Schema, x: Schema) => merge(acc, deref(x, ctx.doc)), base),
      ctx,
      name,
      depth + 1,
    );
  const types = typesOf(s);
  if (!types.length) return anyJson;
  const arbs = types.filter((t) => t !== "null").map((t) => byType(t, s, ctx, name, depth));
  if (types.includes("null")) arbs.push(fc.constant(null));
  return fc.oneof(...arbs);
}

function merge(a: Schema, b: Schema): Schema {
  if (typeof a !== "object" || typeof b !== "object") return b;
  const out: Record<string, unknown> = { ...a, ...b };
  if (a.properties || b.properties) out.properties = { ...a.properties, ...b.properties };
  if (a.required || b.required) out.required = [...new Set([...(a.required ?? []), ...(b.required ?? [])])];
  return out;
}

function byType(
  type: string,
  s: SchemaObject,
  ctx: GenContext,
  name: string | undefined,
  depth: number,
): fc.Arbitrary<unknown> {
  switch (type) {
    case "boolean":
      return fc.boolean();
    case "integer":
      return integerArb(s);
    case "number": {
      const [min, max] = bounds(s, false);
      return fc.oneof(
        integerArb(s),
        fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x)),
      );
    }
    case "string":
      return stringArb(s, ctx, name);
    case "array": {
      const minLength = s.minItems ?? 0;
      const maxLength = Math.min(s.maxItems ?? minLength + 4, minLength + 4);
      return fc.array(validValue(s.items ?? true, ctx, undefined, depth + 1), { minLength, maxLength });
    }
    case "object":
      return objectArb(s, ctx, depth);
    default:
      return anyJson;
  }
}

function bounds(s: SchemaObject, integer: boolean): [number, number] {
  const step = integer ? 1 : Number.EPSILON;
  let min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + step : -1_000_000);
  let max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - step : 1_000_000);
  if (s.minimum === undefined && s.exclusiveMinimum === undefined && max < min) min = max - 1_000_000;
  if (s.maximum === undefined && s.exclusiveMaximum === undefined && max < min) max = min + 1_000_000;
  if (integer) [min, max] = [Math.ceil(min), Math.floor(max)];
  return [min, max];
}

function integerArb(s: SchemaObject): fc.Arbitrary<number> {
  const [min, max] = bounds(s, true);
  const whole = fc.bigInt({ min: BigInt(min), max: BigInt(max) }).map(Number);
  // Small values and the edges are where handlers branch; the full range is where they overflow.
  const small = fc.integer({ min: Math.max(min, -100), max: Math.min(max, Math.max(min, -100) + 200) });
  return fc.oneof(
    { weight: 3, arbitrary: small },
    { weight: 1, arbitrary: whole },
    { weight: 1, arbitrary: fc.constantFrom(min, max) },
  );
}

const EMAIL = fc.stringMatching(/^[a-z][a-z0-9._-]{0,14}[a-z0-9]@[a-z]{2,10}\.(com|org|dev|de)$/);
const URI = fc
  .tuple(
    fc.constantFrom("https", "http"),
    fc.stringMatching(/^[a-z]{1,10}\.example\.(com|org)$/),
    fc.stringMatching(/^(\/[a-z0-9_-]{1,12}){0,3}$/),
  )
  .map(([scheme, host, path]) => `${scheme}://${host}${path}`);
const DATE_TIME = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString());

/** `^X+$` / `^X*$` with a single character (class) X: give the quantifier the schema's length bounds. */
function lengthBoundPattern(pattern: string, minLength: number, maxLength: number | undefined): string | undefined {
  const m = /^\^(\[(?:\\.|[^\]\\])+\]|\\.|[^[\\(])([+*])\$$/.exec(pattern);
  if (!m) return undefined;
  const lo = Math.max(minLength, m[2] === "+" ? 1 : 0);
  const hi = Math.min(maxLength ?? lo + 40, lo + 40);
  return `^${m[1]}{${lo},${hi}}$`;
}

/** `(?=`, `(?!`, `(?<=`, `(?<!`: valid in JSON Schema patterns, beyond fc.stringMatching. */
const LOOKAROUND = /\(\?<?[=!]/;
/** Plain ASCII plus a few letters, marks and an apostrophe of other scripts (names accept any script). */
const PLAIN_CHARS = [
  ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!@ ",
  "é",
  "ß",
  "Ł",
  "ж",
  "李",
  "’",
  "\u0301",
];

/**
 * A JSON Schema pattern as a RegExp. JSON Schema patterns are Unicode regular expressions (ajv
 * compiles them with the `u` flag): without it `\p{L}` would silently mean the letter "p".
 * A pattern that is not valid in Unicode mode falls back to the legacy syntax.
 */
export function patternRegExp(pattern: string): RegExp {
  try {
    return new RegExp(pattern, "u");
  } catch {
    return new RegExp(pattern);
  }
}

function stringArb(s: SchemaObject, ctx: GenContext, name: string | undefined): fc.Arbitrary<string> {
  const minLength: number = s.minLength ?? 0;
  const maxLength: number | undefined = s.maxLength;
  const fits = (v: string) => cpLength(v) >= minLength && (maxLength === undefined || cpLength(v) <= maxLength);
  let arb: fc.Arbitrary<string>;
  if (typeof s.pattern === "string" && LOOKAROUND.test(s.pattern)) {
    // fast-check cannot generate from lookarounds: draw plain strings and keep those that match.
    const re = patternRegExp(s.pattern);
    const hi = Math.min(maxLength ?? minLength + 30, minLength + 30);
    arb = fc
      .string({ unit: fc.constantFrom(...PLAIN_CHARS), minLength, maxLength: hi })
      .filter((v) => re.test(v) && fits(v));
  } else if (typeof s.pattern === "string") {
    const pattern: string = s.pattern;
    const anchored = pattern.startsWith("^") && pattern.endsWith("$") && !pattern.endsWith("\\$");
    if (anchored) {
      arb = fc.stringMatching(new RegExp(lengthBoundPattern(pattern, minLength, maxLength) ?? pattern)).filter(fits);
    } else {
      // Unanchored: a match somewhere, padded up to the length bounds.
      const hi = Math.min(maxLength ?? minLength + 40, minLength + 40);
      arb = fc
        .tuple(fc.stringMatching(new RegExp(`^(?:${pattern})$`)), fc.string({ minLength, maxLength: hi }))
        .map(([core, pad]) => core + pad.slice(0, Math.max(0, hi - cpLength(core))))
        .filter(fits);
    }
  } else if (s.format === "email") {
    arb = EMAIL.filter(fits);
  } else if (s.format === "uri" || s.format === "url") {
    arb = URI.filter(fits);
  } else if (s.format === "date-time") {
    arb = DATE_TIME;
  } else if (s.format === "date") {
    arb = DATE_TIME.map((d) => d.slice(0, 10));
  } else if (s.format === "uuid") {
    arb = fc.uuid();
  } else {
    const hi = Math.min(maxLength ?? minLength + 30, minLength + 30);
    arb = fc.oneof(
      { weight: 3, arbitrary: fc.string({ minLength, maxLength: hi }) },
      { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength, maxLength: hi }).filter(fits) },
      ...(maxLength !== undefined && maxLength <= 10_000
        ? [{ weight: 1, arbitrary: fc.string({ minLength: maxLength, maxLength }) }]
        : []),
    );
  }
  const known = ctx.pool?.(s, name);
  return known?.length
    ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: arb })
    : arb;
}

function objectArb(s: SchemaObject, ctx: GenContext, depth: number): fc.Arbitrary<unknown> {
  const props: Record<string, Schema> = s.properties ?? {};
  const required: string[] = s.required ?? [];
  const keys = Object.keys(props);
  if (!keys.length && s.additionalProperties && s.additionalProperties !== false) {
    const value = validValue(
      s.additionalProperties === true ? true : s.additionalProperties,
      ctx,
      undefined,
      depth + 1,
    );
    return fc.dictionary(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,15}$/), value, { maxKeys: 4 });
  }
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const k of keys) model[k] = validValue(props[k] ?? true, ctx, k, depth + 1);
  return fc.record(model, { requiredKeys: required.filter((k) => k in model) });
}

// ─── invalid values ──────────────────────────────────────────────────────────

const SAMPLES: [string, unknown][] = [
  ["string", "not-the-right-type"],
  ["integer", 42],
  ["number", 4.5],
  ["boolean", true],
  ["null", null],
  ["array", [1, "two"]],
  ["object", { nested: { value: 1 } }],
];

function wrongType(types: string[]): fc.Arbitrary<unknown> | undefined {
  if (!types.length) return undefined;
  const accepted = (t: string) => types.includes(t) || (t === "integer" && types.includes("number"));
  const options = SAMPLES.filter(([t]) => !accepted(t)).map(([, v]) => v);
  return options.length ? fc.constantFrom(...options) : undefined;
}

const BAD_FORMATS: Record<string, string[]> = {
  email: ["no-at-sign", "two@@example.com", "@example.com", "spaces in@example.com", "a@"],
  uri: ["not a url", "://missing-scheme", "http//no-colon.example.com"],
  url: ["not a url", "://missing-scheme"],
  "date-time": ["yesterday", "2026-13-45T25:61:00Z", "1700000000"],
  date: ["2026-02-30x", "today"],
  uuid: ["not-a-uuid", "1234"],
};

/** Values that break one rule of `schema` (best effort; ajv decides). */
export function invalidValue(schema: Schema, ctx: GenContext, depth = 0): fc.Arbitrary<unknown> {
  const s = deref(schema, ctx.doc);
  if (s === true || s === false || depth > MAX_DEPTH) return fc.constant({ "\u0000": "unexpected" });
  const types = typesOf(s);
  const options: fc.Arbitrary<unknown>[] = [];
  const wt = wrongType(types);
  if (wt) options.push(wt);
  if (Array.isArray(s.enum)) {
    const allowed = new Set(s.enum);
    options.push(fc.string({ maxLength: 20 }).filter((v) => !allowed.has(v)));
    const first = s.enum.find((e: unknown) => typeof e === "string");
    if (first && !allowed.has(first.toUpperCase())) options.push(fc.constant(first.toUpperCase()));
  }
  const alts = (s.oneOf ?? s.anyOf) as Schema[] | undefined;
  if (alts?.length) options.push(...alts.map((alt) => invalidValue(alt, ctx, depth + 1)));
  if (types.includes("string") && !s.enum) options.push(...invalidStrings(s));
  if (types.includes("integer") || types.includes("number"))
    options.push(...invalidNumbers(s, types.includes("integer")));
  if (types.includes("array")) options.push(...invalidArrays(s, ctx, depth));
  if (types.includes("object")) options.push(...invalidObjects(s, ctx, depth));
  return options.length ? fc.oneof(...options) : fc.constant({ unexpected: true });
}

function invalidStrings(s: SchemaObject): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [];
  if (typeof s.maxLength === "number") {
    const n = s.maxLength;
    out.push(fc.integer({ min: n + 1, max: n + 40 }).map((len) => "x".repeat(len)));
    out.push(fc.constant("ü".repeat(Math.max(n + 1, 10_000))));
  } else {
    out.push(fc.constant("long-".repeat(20_000)));
  }
  if (typeof s.minLength === "number" && s.minLength > 0) {
    out.push(fc.string({ maxLength: s.minLength - 1 }));
  }
  if (typeof s.pattern === "string") {
    const re = patternRegExp(s.pattern);
    out.push(fc.string({ minLength: 1, maxLength: 40 }).filter((v) => !re.test(v)));
    // Ids: right prefix, wrong body; wrong prefix, right body.
    const prefix = /^\^([a-z]{2,4}_)/.exec(s.pattern)?.[1];
    if (prefix) {
      out.push(
        fc.constantFrom(
          `${prefix}`,
          `${prefix}ILOU${"0".repeat(22)}`,
          `${prefix}${"0".repeat(27)}`,
          `xyz_${"0".repeat(26)}`,
          `${prefix}../../x`,
        ),
      );
    }
  }
  const badFormats = typeof s.format === "string" ? BAD_FORMATS[s.format] : undefined;
  if (badFormats) out.push(fc.constantFrom(...badFormats));
  return out;
}

function invalidNumbers(s: SchemaObject, integer: boolean): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [];
  if (integer) out.push(fc.constantFrom(1.5, -0.25, 1e300));
  if (typeof s.minimum === "number") out.push(fc.constantFrom(s.minimum - 1, s.minimum - 1_000_000, -1e21));
  if (typeof s.maximum === "number") out.push(fc.constantFrom(s.maximum + 1, s.maximum * 10 + 1, 1e21));
  if (typeof s.exclusiveMinimum === "number") out.push(fc.constant(s.exclusiveMinimum));
  if (typeof s.exclusiveMaximum === "number") out.push(fc.constant(s.exclusiveMaximum));
  out.push(fc.constantFrom("12", "1e3"));
  return out;
}

function invalidArrays(s: SchemaObject, ctx: GenContext, depth: number): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [];
  const item = validValue(s.items ?? true, ctx, undefined, depth + 1);
  if (typeof s.maxItems === "number")
    out.push(fc.array(item, { minLength: s.maxItems + 1, maxLength: s.maxItems + 3 }));
  if (typeof s.minItems === "number" && s.minItems > 0) out.push(fc.array(item, { maxLength: s.minItems - 1 }));
  if (s.items) {
    out.push(
      fc
        .tuple(fc.array(item, { maxLength: 2 }), invalidValue(s.items, ctx, depth + 1))
        .map(([ok, bad]) => [...ok, bad].slice(0, Math.max(1, s.maxItems ?? 3))),
    );
  }
  return out;
}

function invalidObjects(s: SchemaObject, ctx: GenContext, depth: number): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [];
  const props: Record<string, Schema> = s.properties ?? {};
  const required: string[] = (s.required ?? []).filter((k: string) => k in props);
  const whole = validValue(s, ctx, undefined, depth + 1) as fc.Arbitrary<Record<string, unknown>>;
  if (required.length) {
    out.push(
      fc.tuple(whole, fc.constantFrom(...required)).map(([obj, k]) => {
        const { [k]: _drop, ...rest } = obj;
        return rest;
      }),
    );
  }
  if (s.additionalProperties === false) {
    out.push(
      fc
        .tuple(whole, fc.constantFrom("unknownField", "isAdmin", "role", "__proto__x", "id"))
        .filter(([, k]) => !(k in props))
        .map(([obj, k]) => ({ ...obj, [k]: "surprise" })),
    );
  }
  const keys = Object.keys(props);
  if (keys.length) {
    out.push(
      fc
        .constantFrom(...keys)
        .chain((k) => fc.tuple(whole, fc.constant(k), invalidValue(props[k] ?? true, ctx, depth + 1)))
        .map(([obj, k, bad]) => ({ ...obj, [k]: bad })),
    );
  }
  return out;
}
