export const json = <T>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** A bearer token is optional (guest carts): either the scheme or nothing. */
export const optionalBearer: Record<string, string[]>[] = [{ bearer: [] }, {}];
