import { z } from "zod";
import { type CallMeta, type Jwks, Role } from "./auth";
import { UserId } from "./ids";

export const Email = z.email().max(254).meta({ example: "ada@example.com" });
export const E164Phone = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, "must be an E.164 phone number, e.g. +14155550123")
  .meta({ example: "+14155550123" });
/** At least 10 characters with a letter and a digit; bounded so hashing cost is bounded. */
export const Password = z
  .string()
  .min(10, "must be at least 10 characters")
  .max(128, "must be at most 128 characters")
  // One pattern, not two: an OpenAPI schema carries a single `pattern`, and clients that
  // validate from the document must see every rule the route enforces.
  // Anchored lookaheads: linear time however long the input.
  .regex(/^(?=[\s\S]*[A-Za-z])(?=[\s\S]*\d)/, "must contain a letter and a digit");
export const PersonName = z.string().trim().min(1).max(100);

export const RegisterBody = z
  .object({ email: Email, password: Password, name: PersonName, phone: E164Phone.optional() })
  .strict()
  .meta({ id: "RegisterBody" });
export type RegisterBody = z.infer<typeof RegisterBody>;

export const LoginBody = z
  .object({ email: Email, password: z.string().min(1).max(128) })
  .strict()
  .meta({ id: "LoginBody" });
export type LoginBody = z.infer<typeof LoginBody>;

export const RefreshBody = z
  .object({ refreshToken: z.string().min(20).max(200) })
  .strict()
  .meta({ id: "RefreshBody" });
export type RefreshBody = z.infer<typeof RefreshBody>;

export const User = z
  .object({
    id: UserId,
    email: Email,
    name: z.string(),
    phone: E164Phone.nullable(),
    role: Role,
    emailVerified: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "User" });
export type User = z.infer<typeof User>;

export const TokenPair = z
  .object({
    tokenType: z.literal("Bearer"),
    accessToken: z.string(),
    expiresIn: z.int(),
    refreshToken: z.string(),
    user: User,
  })
  .meta({ id: "TokenPair" });
export type TokenPair = z.infer<typeof TokenPair>;

/** Only these fields are changeable by their owner; role and verification are not. */
export const UpdateMeBody = z
  .object({ name: PersonName.optional(), phone: E164Phone.nullable().optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, "send at least one field")
  .meta({ id: "UpdateMeBody" });
export type UpdateMeBody = z.infer<typeof UpdateMeBody>;

/** `GET /users` (admin): keyset pages, newest first, optional exact email filter. */
export const ListUsersQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(600).optional(),
    email: Email.optional(),
  })
  .strict();
export type ListUsersQuery = z.infer<typeof ListUsersQuery>;

export const UserPage = z.object({ items: z.array(User), nextCursor: z.string().nullable() }).meta({ id: "UserPage" });
export type UserPage = z.infer<typeof UserPage>;

export const UserIdParams = z.object({ id: UserId });

export const Contact = z.object({
  userId: UserId,
  email: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
});
export type Contact = z.infer<typeof Contact>;

/** RPC surface of the `users` worker (entrypoint `UsersRpc`). */
export interface UsersRpc {
  /** Contact details for notifications; null for an unknown user. */
  getContact(userId: string, meta?: CallMeta): Promise<Contact | null>;
  /** Public verification keys (current and previous), for services to verify access tokens. */
  jwks(meta?: CallMeta): Promise<Jwks>;
}
