import { api, getSession, setSession } from "../api.js";
import { announce, busy, field, formError, h, onSubmit, render } from "../dom.js";
import { navigate, refreshCartBadge } from "../shell.js";

/** Only in-app destinations: "#/…". */
const nextOf = (ctx) => {
  const next = ctx.query.get("next") ?? "";
  return /^#\/[\w/?=&%.-]*$/.test(next) ? next : "#/products";
};

/** After sign-in: the guest cart merges into the account's cart on the first cart call. */
async function signedIn(tokens, ctx, message) {
  setSession(tokens);
  let merged = 0;
  try {
    const cart = await api("GET", "/cart");
    merged = cart?.mergedCartIds?.length ?? 0;
    await refreshCartBadge(cart);
  } catch {
    // The cart page will say what is wrong; signing in succeeded.
  }
  announce(merged ? `${message} Your cart has been saved to your account.` : message, "success", { carry: true });
  navigate(nextOf(ctx));
}

export async function loginView(main, ctx) {
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Sign in");
  const form = h(
    "form",
    { class: "stack narrow", novalidate: true, "aria-labelledby": "login-heading" },
    formError(),
    field({ label: "Email", name: "email", type: "email", required: true, autocomplete: "username" }),
    field({ label: "Password", name: "password", type: "password", required: true, autocomplete: "current-password" }),
    submit,
  );
  onSubmit(
    form,
    submit,
    async ({ email, password }) => {
      const tokens = await api("POST", "/users/login", { body: { email, password } });
      await signedIn(tokens, ctx, `Welcome back, ${tokens.user?.name ?? email}.`);
    },
    ({ email, password }) =>
      (!email || !password) && {
        message: "Enter your email and password.",
        fieldErrors: [
          !email && { path: "email", message: "Enter your email." },
          !password && { path: "password", message: "Enter your password." },
        ].filter(Boolean),
      },
  );
  render(
    main,
    h("h1", { id: "login-heading" }, "Sign in"),
    form,
    h(
      "p",
      {},
      "No account yet? ",
      h(
        "a",
        { href: `#/register${ctx.query.get("next") ? `?next=${encodeURIComponent(nextOf(ctx))}` : ""}` },
        "Register",
      ),
    ),
  );
}

export async function registerView(main, ctx) {
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Create account");
  const form = h(
    "form",
    { class: "stack narrow", novalidate: true, "aria-labelledby": "register-heading" },
    formError(),
    field({ label: "Name", name: "name", required: true, autocomplete: "name" }),
    field({ label: "Email", name: "email", type: "email", required: true, autocomplete: "email" }),
    field({
      label: "Password",
      name: "password",
      type: "password",
      required: true,
      autocomplete: "new-password",
      hint: "At least 10 characters, with a letter and a digit.",
    }),
    field({
      label: "Mobile phone (optional)",
      name: "phone",
      type: "tel",
      autocomplete: "tel",
      hint: "International format, e.g. +14155550123, for text message updates.",
    }),
    submit,
  );
  onSubmit(form, submit, async (v) => {
    const body = { email: v.email, password: v.password, name: v.name };
    if (v.phone) body.phone = v.phone;
    // The answer is the same whether or not the email already had an account (so it never
    // tells who is registered): the next step always arrives by email. Sign-in works before
    // the address is confirmed, so try it with what was just typed; if that fails (the
    // address had an account with another password), send the shopper to sign in.
    await api("POST", "/users", { body });
    const checkEmail = `We sent a message to ${v.email}: follow its link to confirm your address.`;
    let tokens;
    try {
      tokens = await api("POST", "/users/login", { body: { email: v.email, password: v.password } });
    } catch {
      announce(`Thanks! ${checkEmail} Then sign in.`, "success", { carry: true });
      return navigate(`#/login${ctx.query.get("next") ? `?next=${encodeURIComponent(nextOf(ctx))}` : ""}`);
    }
    await signedIn(tokens, ctx, `Welcome, ${v.name}! ${checkEmail}`);
  });
  render(
    main,
    h("h1", { id: "register-heading" }, "Create an account"),
    form,
    h(
      "p",
      {},
      "Already registered? ",
      h("a", { href: `#/login${ctx.query.get("next") ? `?next=${encodeURIComponent(nextOf(ctx))}` : ""}` }, "Sign in"),
    ),
  );
}

/** The landing of the link in the verification email: `#/verify-email?token=…`. */
export async function verifyEmailView(main, ctx) {
  const token = ctx.query.get("token") ?? "";
  // The token is single-use; keep it out of the history once read.
  history.replaceState(null, "", "#/verify-email");
  const heading = h("h1", { id: "verify-heading" }, "Confirm your email address");
  try {
    await api("POST", "/users/verify-email", { body: { token }, signal: ctx.signal });
    render(
      main,
      heading,
      h("p", {}, "Your email address is confirmed. Thank you!"),
      h("p", {}, h("a", { href: "#/products" }, "Go to the catalog"), " · ", h("a", { href: "#/login" }, "Sign in")),
    );
  } catch (err) {
    if (err?.name === "AbortError") return;
    const resend = h("button", { type: "button", class: "btn" }, "Send me a new link");
    resend.addEventListener("click", () =>
      busy(resend, async () => {
        try {
          await api("POST", "/users/me/email/verify");
          announce("A new link is on its way: check your email.", "success");
        } catch (e) {
          announce(e?.message ?? "A new link could not be sent; try again later.", "error");
        }
      }),
    );
    render(
      main,
      heading,
      h("p", { role: "alert" }, "This link is not valid or has expired. Links work once, for 24 hours."),
      getSession() ? h("p", {}, resend) : h("p", {}, h("a", { href: "#/login" }, "Sign in"), " to ask for a new one."),
    );
  }
}
