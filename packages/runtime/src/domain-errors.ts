import type { ErrorCode, FieldError, ShortLine } from "@shop/contracts";

/**
 * What a service verb throws when it cannot do what was asked. A domain error names the
 * outcome (not found, a conflict, invalid input…) and carries what the caller needs to
 * know; it has no HTTP status and no headers. `createApp`'s error handler is the one
 * place that turns it into a problem+json response (ADR 0021).
 */
export abstract class DomainError extends Error {
  abstract readonly kind: string;
  constructor(message: string, name: string) {
    super(message);
    this.name = name;
  }
}

/** The thing asked for does not exist (or is not visible to this caller). */
export class NotFound extends DomainError {
  readonly kind = "not_found";
  constructor(
    readonly what = "The resource",
    /** Where the missing thing was named in the request, and a `detail` to say it in full. */
    readonly named?: { errors: FieldError[]; detail?: string },
  ) {
    super(named?.detail ?? `${what} was not found.`, "NotFound");
  }
}

/**
 * Well-formed input the rules refuse (a cart over its line limit, an archived product, a
 * currency the cart is not in): the request would need to change, not the state of the world.
 */
export class Unprocessable extends DomainError {
  readonly kind = "unprocessable";
  constructor(
    detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail, "Unprocessable");
  }
}

/** Codes a conflict may carry: the state of the world refuses the request. */
export type ConflictCode = Extract<
  ErrorCode,
  "conflict" | "idempotency_key_reused" | "idempotency_in_flight" | "invalid_transition"
>;

/** The request clashes with the current state (a taken SKU, a count below what is held…). */
export class Conflict extends DomainError {
  readonly kind = "conflict";
  constructor(
    readonly code: ConflictCode,
    detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail, "Conflict");
  }
}

/** Input the verb cannot accept, naming each failing field; `where` is body, query, header… */
export class Invalid extends DomainError {
  readonly kind = "invalid";
  constructor(
    readonly errors: FieldError[],
    readonly where = "request",
    /**
     * `bad_request` with a `detail` worded for a person: well-formed input the domain refuses
     * (a spent verification link, a wrong code), rather than a field that failed its schema.
     */
    readonly refusal?: { code: "bad_request"; detail: string },
  ) {
    super(refusal?.detail ?? `Invalid ${where}: ${[...new Set(errors.map((e) => e.path))].join(", ")}`, "Invalid");
  }
}

/** The caller is known but may not do this. */
export class Forbidden extends DomainError {
  readonly kind = "forbidden";
  constructor(detail = "You do not have the role this needs.") {
    super(detail, "Forbidden");
  }
}

/** No caller is known (or the credentials are not valid). */
export class Unauthenticated extends DomainError {
  readonly kind = "unauthenticated";
  constructor(detail = "A valid bearer token is required.") {
    super(detail, "Unauthenticated");
  }
}

/** The thing changed since the caller read it (optimistic concurrency). */
export class PreconditionFailed extends DomainError {
  readonly kind = "precondition_failed";
  constructor(detail: string) {
    super(detail, "PreconditionFailed");
  }
}

/** Some lines cannot be had in the quantity asked; `lines` says what is available. */
export class InsufficientStock extends DomainError {
  readonly kind = "insufficient_stock";
  constructor(
    readonly lines: readonly ShortLine[],
    detail = "Some lines are not available in the quantity asked.",
    readonly errors?: FieldError[],
  ) {
    super(detail, "InsufficientStock");
  }
}

/** A dependency is down for now; the caller should try again after `retryAfterSeconds`. */
export class Unavailable extends DomainError {
  readonly kind = "unavailable";
  constructor(
    detail: string,
    readonly retryAfterSeconds = 5,
  ) {
    super(detail, "Unavailable");
  }
}

/** The caller has done this too often for now; it may again after `retryAfterSeconds`. */
export class RateLimited extends DomainError {
  readonly kind = "rate_limited";
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(detail, "RateLimited");
  }
}

/** Every domain error there is: the error handler's switch over `kind` is exhaustive. */
export type AnyDomainError =
  | NotFound
  | Unprocessable
  | Conflict
  | Invalid
  | Forbidden
  | Unauthenticated
  | PreconditionFailed
  | InsufficientStock
  | RateLimited
  | Unavailable;
