/**
 * Stripe's request encoding: `application/x-www-form-urlencoded` with bracketed keys
 * (`metadata[orderId]=…`, `mandate_data[customer_acceptance][type]=online`, `expand[0]=…`).
 */

/**
 * Nested object from bracketed form keys; objects whose keys are all indexes become arrays.
 * @param {URLSearchParams} form
 * @returns {Record<string, unknown>}
 */
export function parseForm(form) {
  /** @type {Record<string, unknown>} */
  const root = {};
  for (const [key, value] of form) {
    const path = key.replace(/\]/g, "").split("[");
    /** @type {Record<string, unknown>} */
    let node = root;
    path.forEach((raw, i) => {
      const part = raw === "" ? String(Object.keys(node).length) : raw;
      if (i === path.length - 1) {
        node[part] = value;
        return;
      }
      const next = node[part];
      if (typeof next !== "object" || next === null) node[part] = {};
      node = /** @type {Record<string, unknown>} */ (node[part]);
    });
  }
  return /** @type {Record<string, unknown>} */ (arrays(root));
}

/** @param {unknown} value @returns {unknown} */
function arrays(value) {
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value).map(([k, v]) => /** @type {[string, unknown]} */ ([k, arrays(v)]));
  if (entries.length > 0 && entries.every(([k], i) => k === String(i))) return entries.map(([, v]) => v);
  return Object.fromEntries(entries);
}

/**
 * What Stripe compares when an idempotency key comes back: the endpoint and every parameter.
 * @param {string} method @param {string} path @param {URLSearchParams} form
 */
export function fingerprint(method, path, form) {
  const pairs = [...form].map(([k, v]) => `${k}=${v}`).sort();
  return `${method} ${path}\n${pairs.join("&")}`;
}

/** `"true"` / `"false"` as Stripe's form booleans. @param {unknown} v */
export function formBool(v) {
  return v === true || v === "true";
}
