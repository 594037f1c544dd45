const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Every value that reaches an HTML template goes through this; templates never interpolate raw data. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** Tagged template for HTML: interpolated values are escaped, `SafeHtml` fragments pass through. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: (string | number | SafeHtml | SafeHtml[])[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((v, i) => {
    const piece = Array.isArray(v) ? v.map((x) => x.value).join("") : v instanceof SafeHtml ? v.value : escapeHtml(v);
    out += piece + (strings[i + 1] ?? "");
  });
  return new SafeHtml(out);
}
