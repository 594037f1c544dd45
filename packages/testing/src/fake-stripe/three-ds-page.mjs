/** The issuer's 3-D Secure challenge as the shopper sees it (Stripe's hosted test page, simplified). */

/** @param {string} s */
const html = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** @param {Record<string, any>} pi */
export function threeDsPage(pi) {
  const amount = `${(pi.amount / 100).toFixed(2)} ${String(pi.currency).toUpperCase()}`;
  const open = pi.status === "requires_action";
  const form = open
    ? `<form method="post">
  <button type="submit" name="result" value="approve">Complete authentication</button>
  <button type="submit" name="result" value="fail">Fail authentication</button>
</form>`
    : `<p id="status">This payment is ${html(String(pi.status))}; there is nothing to authenticate.</p>`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>3D Secure test payment</title></head>
<body>
<h1>3D Secure 2 test page</h1>
<p>Payment <code>${html(String(pi.id))}</code> of <strong>${html(amount)}</strong>.</p>
${form}
</body>
</html>
`;
}
