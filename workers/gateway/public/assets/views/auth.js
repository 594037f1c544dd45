import { api, setSession } from "../api.js";
import { announce, busy, clearFormErrors, field, formError, formValues, h, render, showFormErrors } from "../dom.js";
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
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const { email, password } = formValues(form);
    if (!email || !password)
      return showFormErrors(form, {
        message: "Enter your email and password.",
        fieldErrors: [
          !email && { path: "email", message: "Enter your email." },
          !password && { path: "password", message: "Enter your password." },
        ].filter(Boolean),
      });
    return busy(submit, async () => {
      try {
        const tokens = await api("POST", "/users/login", { body: { email, password } });
        await signedIn(tokens, ctx, `Welcome back, ${tokens.user?.name ?? email}.`);
      } catch (err) {
        showFormErrors(form, err);
      }
    });
  });
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
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const v = formValues(form);
    const body = { email: v.email, password: v.password, name: v.name };
    if (v.phone) body.phone = v.phone;
    return busy(submit, async () => {
      try {
        const created = await api("POST", "/users", { body });
        const tokens = created?.accessToken
          ? created
          : await api("POST", "/users/login", { body: { email: v.email, password: v.password } });
        await signedIn(tokens, ctx, `Welcome, ${v.name}! Your account is ready.`);
      } catch (err) {
        showFormErrors(form, err);
      }
    });
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
