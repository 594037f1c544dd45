import { app } from "./app";

export { UsersRpc } from "./rpc";

// Workers require a default export; it is the HTTP handler (the Hono app).
export default app;
