import type { FieldError } from "@shop/contracts";
import { Invalid } from "@shop/runtime";

/**
 * A 400 naming the refused field, with a detail worded for the person who clicked the link
 * or typed the code (rather than zod's "Invalid body: code"): the reason is not a typo.
 */
export function refused(detail: string, errors: FieldError[]): Invalid {
  return new Invalid(errors, "request", { code: "bad_request", detail });
}
