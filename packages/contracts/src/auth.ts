import { z } from "zod";

/** Access tokens: EdDSA (Ed25519) JWTs issued by `users`, verified by every service. */
export const JWT_ALGORITHM = "EdDSA";
export const JWT_ISSUER = "https://users.shop.internal";
export const JWT_AUDIENCE = "shop-api";
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

export const Role = z.enum(["customer", "admin"]);
export type Role = z.infer<typeof Role>;

/** What a verified access token tells a service about its caller. */
export type Principal = { userId: string; role: Role; email: string };

export const Jwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });
export type Jwks = { keys: JsonWebKeyLike[] };
export type JsonWebKeyLike = {
  kid?: string;
  kty?: string;
  crv?: string;
  x?: string;
  alg?: string;
  use?: string;
  [k: string]: unknown;
};

/** Headers that carry request identity across the edge and service bindings. */
export const REQUEST_ID_HEADER = "x-request-id";
export const TRACEPARENT_HEADER = "traceparent";
/** Headers the gateway sets itself; any client-supplied copy is stripped at the edge. */
export const INTERNAL_HEADER_PREFIX = "x-shop-";
export const CLIENT_IP_HEADER = "x-shop-client-ip";

/** Passed as the last argument of every RPC call so logs and traces join up. */
export type CallMeta = { requestId?: string; traceparent?: string };
