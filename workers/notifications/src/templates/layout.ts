import { html, type SafeHtml } from "./escape";

/** The HTML shell every notification shares: inline styles only (mail clients drop <style> and scripts). */
export function layout(title: string, greetingName: string, body: SafeHtml, footer: string): string {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head>
<body style="margin:0;padding:24px;background:#f6f6f6;font-family:Arial,Helvetica,sans-serif;color:#222">
<div style="max-width:560px;margin:0 auto;background:#fff;padding:24px;border-radius:6px">
<h1 style="font-size:20px;margin:0 0 16px">${title}</h1>
<p>Hi ${greetingName},</p>
${body}
<p style="margin-top:32px;font-size:12px;color:#777">${footer}</p>
</div>
</body>
</html>`.value;
}
