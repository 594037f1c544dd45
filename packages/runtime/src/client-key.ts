import { CLIENT_IP_HEADER } from "@shop/contracts";

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const HEXTET = /^[0-9a-f]{1,4}$/;

/**
 * The throttle's notion of "one client", from the address the gateway puts in
 * `x-shop-client-ip` (it overwrites any client-supplied copy, so callers cannot choose their
 * bucket). An IPv4 address is itself; an IPv6 address is its /64, because one subscriber
 * usually holds a whole /64 and would otherwise get a fresh bucket per address. IPv4-mapped
 * IPv6 (`::ffff:a.b.c.d`) is the IPv4 address. Anything else (e.g. the gateway's `local`) is
 * kept as a label, bounded in length.
 */
export function clientKey(raw: string | undefined): string {
  const value = (raw ?? "").trim().toLowerCase();
  if (IPV4.test(value)) return value;
  const v6 = ipv6Hextets(value.replace(/^\[|\]$/g, "").replace(/%.*$/, ""));
  if (v6) {
    const [, , , , , mark, high = 0, low = 0] = v6;
    const isMapped = v6.slice(0, 5).every((h) => h === 0) && mark === 0xffff;
    if (isMapped) return [high >> 8, high & 255, low >> 8, low & 255].join(".");
    return `${v6
      .slice(0, 4)
      .map((h) => h.toString(16))
      .join(":")}::/64`;
  }
  return `label:${value.slice(0, 64) || "unknown"}`;
}

/** The client key of a request as the gateway forwarded it. */
export const clientKeyOf = (headers: Headers): string => clientKey(headers.get(CLIENT_IP_HEADER) ?? undefined);

/** The eight 16-bit groups of an IPv6 address (`::` and a trailing dotted quad allowed), or null. */
function ipv6Hextets(value: string): number[] | null {
  if (!value.includes(":")) return null;
  const halves = value.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string | undefined): number[] | null => {
    if (!part) return [];
    const out: number[] = [];
    const groups = part.split(":");
    for (const [i, g] of groups.entries()) {
      if (i === groups.length - 1 && IPV4.test(g)) {
        const [a = 0, b = 0, c = 0, d = 0] = g.split(".").map(Number);
        out.push((a << 8) | b, (c << 8) | d);
      } else if (HEXTET.test(g)) out.push(Number.parseInt(g, 16));
      else return null;
    }
    return out;
  };
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  if (!head || !tail) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...Array<number>(missing).fill(0), ...tail] : null;
}
