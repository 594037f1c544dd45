import { createApp } from "@shop/runtime";

export { UsersRpc } from "./rpc";

const app = createApp("users");

// Workers require a default export; it is the HTTP handler.
export default app;
