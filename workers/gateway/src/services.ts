/** Which worker owns which public path prefix. Order matters only for readability. */
export const SERVICES = {
  USERS: { name: "users", prefixes: ["/users", "/.well-known/jwks.json"] },
  PRODUCTS: { name: "products", prefixes: ["/products", "/categories", "/images", "/markets"] },
  ORDERS: { name: "orders", prefixes: ["/cart", "/orders", "/returns", "/checkout", "/promotions", "/shipping"] },
  PAYMENTS: { name: "payments", prefixes: ["/payments"] },
  NOTIFICATIONS: { name: "notifications", prefixes: ["/notifications"] },
} as const;

export type ServiceBinding = keyof typeof SERVICES;

export function serviceFor(path: string): ServiceBinding | undefined {
  for (const [binding, svc] of Object.entries(SERVICES) as [ServiceBinding, (typeof SERVICES)[ServiceBinding]][]) {
    if (svc.prefixes.some((p) => path === p || path.startsWith(`${p}/`))) return binding;
  }
  return undefined;
}

/** Routes that create sessions or accounts: throttled per client at the edge. */
export function isAuthRoute(method: string, path: string): boolean {
  return method === "POST" && (path === "/users" || path === "/users/login" || path === "/users/refresh");
}
