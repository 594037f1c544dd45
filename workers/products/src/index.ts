import { createApp } from "@shop/runtime";

const app = createApp("products");

// Workers require a default export; it is the HTTP handler.
export default app;
