import { api } from "../api.js";
import { announce, busy, formError, h, render, showFormErrors } from "../dom.js";
import { requireSession } from "../shell.js";

/** Notification preferences: optional email and SMS; order email always goes out. */
export async function preferencesView(main, ctx) {
  if (!requireSession()) return;
  const prefs = await api("GET", "/notifications/preferences", { signal: ctx.signal });
  const check = (name, label, hint, checked) =>
    h(
      "div",
      { class: "checkbox" },
      h("input", { type: "checkbox", id: `pref-${name}`, name, checked, "aria-describedby": `pref-${name}-hint` }),
      h("label", { for: `pref-${name}` }, label),
      h("p", { class: "hint", id: `pref-${name}-hint` }, hint),
    );
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Save preferences");
  const form = h(
    "form",
    { class: "stack narrow" },
    formError(),
    h(
      "fieldset",
      {},
      h("legend", {}, "How should we reach you?"),
      h(
        "div",
        { class: "checkbox" },
        h("input", {
          type: "checkbox",
          id: "pref-transactional",
          checked: true,
          disabled: true,
          "aria-describedby": "pref-transactional-hint",
        }),
        h("label", { for: "pref-transactional" }, "Order and account emails"),
        h(
          "p",
          { class: "hint", id: "pref-transactional-hint" },
          "Always on: confirmations, payment problems, shipping and refunds.",
        ),
      ),
      check(
        "emailOptional",
        "Occasional news by email",
        "Announcements from the shop. Unsubscribe any time.",
        prefs.emailOptional,
      ),
      check("sms", "Text messages", "Order updates by SMS to the phone number on your account.", prefs.sms),
    ),
    prefs.emailStatus === "undeliverable"
      ? h(
          "p",
          { class: "notice notice-error", role: "note" },
          "Emails to your address bounced, so we stopped sending them. Check your email address.",
        )
      : null,
    submit,
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const body = { emailOptional: form.elements.emailOptional.checked, sms: form.elements.sms.checked };
    busy(submit, async () => {
      try {
        await api("PUT", "/notifications/preferences", { body });
        announce("Your preferences were saved.", "success");
      } catch (err) {
        showFormErrors(form, err);
      }
    });
  });
  render(main, h("h1", {}, "Notification preferences"), form);
}
