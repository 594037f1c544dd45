import { ID_PREFIXES, type IdKind } from "@shop/contracts";
import { monotonicFactory } from "ulid";

const next = monotonicFactory();

/** `<prefix>_<ulid>` in lower case: sortable by time, unguessable (80 random bits). */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${next().toLowerCase()}`;
}
