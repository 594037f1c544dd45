export const CACHE_HEADERS = {
  etag: { schema: { type: "string" as const }, description: "Changes whenever the catalog changes" },
  "cache-control": { schema: { type: "string" as const } },
};
