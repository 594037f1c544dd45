import { createApp } from "@shop/runtime";
import { database } from "./db/client";
import type { UsersEnv } from "./env";
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

app.openapi(registerRoute, registerHandler);
app.openapi(loginRoute, loginHandler);
app.openapi(refreshRoute, refreshHandler);
app.openapi(logoutRoute, logoutHandler);
app.openapi(verifyEmailRoute, verifyEmailHandler);
app.openapi(verifyEmailLinkRoute, verifyEmailLinkHandler);
// `/users/me` before `/users/{id}`: the router tries routes in registration order.
app.openapi(getMeRoute, getMeHandler);
app.openapi(updateMeRoute, updateMeHandler);
app.openapi(resendEmailVerificationRoute, resendEmailVerificationHandler);
app.openapi(verifyPhoneRoute, verifyPhoneHandler);
app.openapi(confirmPhoneRoute, confirmPhoneHandler);
app.openapi(listUsersRoute, listUsersHandler);
app.openapi(getUserRoute, getUserHandler);
app.openapi(jwksRoute, jwksHandler);
