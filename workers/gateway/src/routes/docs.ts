import { Scalar } from "@scalar/hono-api-reference";

/**
 * `GET /docs`: interactive API reference over the merged document, UI served from our own assets.
 * Configured for a self-hosted API: the entry points into Scalar's hosted products are off (the
 * AI agent chat, MCP server generation, the developer toolbar with its Configure/Share/Deploy
 * menus, and "Open API Client", a link to client.scalar.com); fonts come from the system instead
 * of Scalar's font CDN (the page's CSP allows none) and nothing is reported to Scalar.
 * "Test Request" stays: it sends the request from this page to this origin (the document's server).
 */
export const docs = Scalar({
  url: "/openapi.json",
  pageTitle: "Shop at the edge API",
  cdn: "/docs/api-reference.js",
  agent: { disabled: true },
  mcp: { disabled: true },
  showDeveloperTools: "never",
  hideClientButton: true,
  withDefaultFonts: false,
  telemetry: false,
  documentDownloadType: "json",
  favicon: "data:,",
  defaultHttpClient: { targetKey: "shell", clientKey: "curl" },
  // "Test Request" starts with the access-token field (from `POST /users/login`) ready to fill.
  authentication: { preferredSecurityScheme: "bearer" },
  // The introduction is long-form (tables, a diagram, a script): one full-width column, with the
  // server and authentication cards below it instead of beside it.
  customCss: `
    .introduction-section .section-columns { flex-direction: column; }
    .introduction-section .section-column { width: 100%; max-width: none; }
    .introduction-section .sticky-cards { position: static; }
    .introduction-description th, .introduction-description td > code:only-child { white-space: nowrap; }
  `,
});
