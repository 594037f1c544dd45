export const CACHE_HEADERS = {
  etag: { schema: { type: "string" as const }, description: "Changes whenever the catalog changes" },
  "cache-control": { schema: { type: "string" as const } },
};

/** Admin writes: the catalog version they made, for the writer's next read (ADR 0022). */
export const CATALOG_WRITE_HEADERS = {
  "x-catalog-version": {
    schema: { type: "string" as const },
    description: "The catalog version this write made; send it back on the next catalog read to see the write",
  },
};
