import { app } from "./app";

// Workers require a default export; it is the gateway's fetch handler.
export default app;
