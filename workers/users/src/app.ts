import { createApp, registerRoutes } from "@shop/runtime";
import { database } from "./db/client";
import type { UsersEnv } from "./env";
import { addAddressHandler, addAddressRoute } from "./routes/addresses/add";
import { deleteAddressHandler, deleteAddressRoute } from "./routes/addresses/delete";
import { editAddressHandler, editAddressRoute } from "./routes/addresses/edit";
import { listAddressesHandler, listAddressesRoute } from "./routes/addresses/list";
import { jwksHandler, jwksRoute } from "./routes/keys/jwks";
import { confirmPhoneHandler, confirmPhoneRoute } from "./routes/users/confirm-phone";
import { getUserHandler, getUserRoute } from "./routes/users/get";
import { getMeHandler, getMeRoute } from "./routes/users/get-me";
import { listUsersHandler, listUsersRoute } from "./routes/users/list";
import { loginHandler, loginRoute } from "./routes/users/login";
import { logoutHandler, logoutRoute } from "./routes/users/logout";
import { refreshHandler, refreshRoute } from "./routes/users/refresh";
import { registerHandler, registerRoute } from "./routes/users/register";
import { resendEmailVerificationHandler, resendEmailVerificationRoute } from "./routes/users/resend-email-verification";
import { updateMeHandler, updateMeRoute } from "./routes/users/update-me";
import {
  verifyEmailHandler,
  verifyEmailLinkHandler,
  verifyEmailLinkRoute,
  verifyEmailRoute,
} from "./routes/users/verify-email";
import { verifyPhoneHandler, verifyPhoneRoute } from "./routes/users/verify-phone";

export const app = createApp<UsersEnv>("users", {
  openapi: { title: "Shop users", description: "Accounts, sign-in and sessions." },
  // Every handler hands `c.var.ctx` (drizzle over DB, bindings, request meta, principal) to its service.
  serviceContext: (env) => database(env.DB),
});

registerRoutes(app, [
  [registerRoute, registerHandler],
  [loginRoute, loginHandler],
  [refreshRoute, refreshHandler],
  [logoutRoute, logoutHandler],
  [verifyEmailRoute, verifyEmailHandler],
  [verifyEmailLinkRoute, verifyEmailLinkHandler],
  // `/users/me` before `/users/{id}`: the router tries routes in registration order.
  [getMeRoute, getMeHandler],
  [updateMeRoute, updateMeHandler],
  [resendEmailVerificationRoute, resendEmailVerificationHandler],
  [verifyPhoneRoute, verifyPhoneHandler],
  [confirmPhoneRoute, confirmPhoneHandler],
  [listAddressesRoute, listAddressesHandler],
  [addAddressRoute, addAddressHandler],
  [editAddressRoute, editAddressHandler],
  [deleteAddressRoute, deleteAddressHandler],
  [listUsersRoute, listUsersHandler],
  [getUserRoute, getUserHandler],
  [jwksRoute, jwksHandler],
]);
