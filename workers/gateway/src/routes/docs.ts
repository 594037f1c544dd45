import { Scalar } from "@scalar/hono-api-reference";

/** `GET /docs`: interactive API reference over the merged document, UI served from our own assets. */
export const docs = Scalar({ url: "/openapi.json", pageTitle: "Shop at the edge API", cdn: "/docs/api-reference.js" });
