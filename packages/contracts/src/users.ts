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
/**
 * What a name needs and no more: letters of any script, combining marks, spaces, apostrophes,
 * hyphens and dots; 1–100 characters. No digits, `@`, `:`, `/` or line breaks, and no
 * "word.word" (a domain: "evil.example"); initials such as "J.R.R." stay valid. A name is
 * quoted in emails, so it must not be able to carry a link or an address.
 * One anchored pattern (the lookahead bans a dot between a letter and two more letters), so
 * the OpenAPI document states the whole rule; it needs Unicode mode (`u`), as JSON Schema
 * patterns have. The source is given to the document explicitly: the generator would
 * otherwise print the flag into it.
 */
const NAME_PATTERN = /^(?![\s\S]*\p{L}\.\p{L}{2})[\p{L}\p{M}](?:[\p{L}\p{M} '’.-]*[\p{L}\p{M}.])?$/u;
export const PersonName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(NAME_PATTERN, "must be a name: letters, spaces, apostrophes, hyphens and dots, and no web or email address")
  .meta({ example: "Ada Lovelace", pattern: NAME_PATTERN.source });

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
    /** True once the current phone number was confirmed with a code sent to it by SMS. */
    phoneVerified: z.boolean().optional(),
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

/** The browser's refresh-token cookie (ADR 0009): set by users, and marks a personal request everywhere. */
export const SESSION_COOKIE = "shop_refresh";

/**
 * `POST /users/refresh` and `POST /users/logout`: the refresh token in the body (API
 * clients), or none (`{}` or no body) when it travels in the `shop_refresh` cookie (browsers).
 */
export const SessionBody = z
  .object({ refreshToken: z.string().min(20).max(200).optional() })
  .strict()
  .meta({ id: "SessionBody" });
export type SessionBody = z.infer<typeof SessionBody>;

/**
 * A refresh's answer. `refreshToken` is in the body only when it was sent in the body: a
 * cookie client gets its successor as the cookie, so script on the page never sees one.
 */
export const RefreshedTokens = TokenPair.extend({ refreshToken: z.string().optional() }).meta({
  id: "RefreshedTokens",
});
export type RefreshedTokens = z.infer<typeof RefreshedTokens>;

/** Only these fields are changeable by their owner; role and verification are not. */
export const UpdateMeBody = z
  .object({ name: PersonName.optional(), phone: E164Phone.nullable().optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, "send at least one field")
  .meta({ id: "UpdateMeBody" });
export type UpdateMeBody = z.infer<typeof UpdateMeBody>;

/**
 * `POST /users` answers this, the same for a new and an already registered email, so the
 * answer never tells whether an address has an account (the email that follows does).
 */
export const RegisterAccepted = z
  .object({ status: z.literal("pending_verification") })
  .meta({ id: "RegisterAccepted" });
export type RegisterAccepted = z.infer<typeof RegisterAccepted>;

/** The single-use token from the verification link (32 random bytes, base64url). */
export const EmailVerificationToken = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, "must be the token from the verification link");

export const VerifyEmailBody = z.object({ token: EmailVerificationToken }).strict().meta({ id: "VerifyEmailBody" });
export type VerifyEmailBody = z.infer<typeof VerifyEmailBody>;
export const VerifyEmailQuery = z.object({ token: EmailVerificationToken }).strict();

export const ContactVerified = z.object({ status: z.literal("verified") }).meta({ id: "ContactVerified" });

/** `POST /users/me/email/verify` → 202: a new verification link is on its way. */
export const EmailLinkSent = z.object({ status: z.literal("link_sent") }).meta({ id: "EmailLinkSent" });

/** `POST /users/me/phone/verify` → 202: a code is on its way (by SMS, to the account's phone). */
export const PhoneCodeSent = z
  .object({ status: z.literal("code_sent"), expiresAt: z.iso.datetime() })
  .meta({ id: "PhoneCodeSent" });
export type PhoneCodeSent = z.infer<typeof PhoneCodeSent>;

export const PhoneConfirmBody = z
  .object({ code: z.string().regex(/^\d{6}$/, "must be the 6-digit code") })
  .strict()
  .meta({ id: "PhoneConfirmBody" });
export type PhoneConfirmBody = z.infer<typeof PhoneConfirmBody>;

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
  /** Optional only so an older users bundle still parses; a missing flag means "not verified". */
  emailVerified: z.boolean().optional(),
  phoneVerified: z.boolean().optional(),
});
export type Contact = z.infer<typeof Contact>;

/** Who a customer is, for staff screens: name and email, nothing else. */
export const CustomerName = z.object({ userId: UserId, name: z.string(), email: z.string() });
export type CustomerName = z.infer<typeof CustomerName>;

/** At most this many ids per `contactsOf` call (one page of orders fits in one call). */
export const MAX_CONTACTS_PER_CALL = 100;

/** RPC surface of the `users` worker (entrypoint `UsersRpc`). */
export interface UsersRpc {
  /** Contact details for notifications; null for an unknown user. */
  getContact(userId: string, meta?: CallMeta): Promise<Contact | null>;
  /**
   * Name and email of each known user among `userIds` (unknown ids are left out), in one read;
   * at most MAX_CONTACTS_PER_CALL distinct ids, more is a RangeError. For admin-only listings:
   * the caller's route decides who may see them.
   */
  contactsOf(userIds: string[], meta?: CallMeta): Promise<CustomerName[]>;
  /** Public verification keys (current and previous), for services to verify access tokens. */
  jwks(meta?: CallMeta): Promise<Jwks>;
}
