// The hosted checkout page: plain HTML, no script needed, accessible and mobile friendly.
import type { StripeObject } from "./state";

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function money(cents: number, currency: string): string {
  const whole = Math.trunc(cents / 100);
  const frac = String(cents % 100).padStart(2, "0");
  return currency.toLowerCase() === "usd"
    ? `$${whole.toLocaleString("en-US")}.${frac}`
    : `${whole}.${frac} ${currency.toUpperCase()}`;
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f1f5f9;color:#0f172a}
main{max-width:28rem;margin:0 auto;padding:1.5rem 1rem}
.card{background:#fff;border:1px solid #e2e8f0;border-radius:.75rem;padding:1.25rem;box-shadow:0 1px 2px rgba(0,0,0,.04)}
h1{font-size:1.125rem;margin:0 0 .25rem}.amount{font-size:2rem;font-weight:700;margin:.25rem 0 1rem;font-variant-numeric:tabular-nums}
.muted{color:#475569;font-size:.875rem}label{display:block;font-size:.875rem;font-weight:600;margin:.75rem 0 .25rem}
input{width:100%;height:2.75rem;border:1px solid #94a3b8;border-radius:.5rem;padding:0 .75rem;font-size:1rem}
input:focus,button:focus,a:focus{outline:3px solid #6366f1;outline-offset:2px}.row{display:flex;gap:.75rem}.row>div{flex:1}
button{margin-top:1.25rem;width:100%;height:3rem;border:0;border-radius:.5rem;background:#4f46e5;color:#fff;font-size:1rem;font-weight:600;cursor:pointer}
.error{border:1px solid #fecaca;background:#fef2f2;color:#b91c1c;border-radius:.5rem;padding:.75rem;margin-bottom:.75rem}
.badge{display:inline-block;font-size:.75rem;background:#fef3c7;color:#92400e;border-radius:999px;padding:.125rem .5rem}
footer{margin-top:1rem;text-align:center}a{color:#4338ca}ul{padding-left:1.1rem}
`;

/** Who is being paid, as Stripe's hosted checkout shows the account's business name (LOCAL_PROCESSOR_MERCHANT_NAME). */
export function merchantName(): string {
  return process.env.LOCAL_PROCESSOR_MERCHANT_NAME?.trim() || "Advisory";
}

export function checkoutPage(
  session: StripeObject,
  options: { error?: string; values?: { number?: string; expiry?: string; cvc?: string; name?: string } } = {},
): string {
  const amount = money(Number(session.amount_total ?? 0), String(session.currency ?? "usd"));
  const lineItem = (session as { _line_item_name?: string })._line_item_name ?? "Payment";
  const values = options.values ?? {};
  const status = String(session.status);
  const cancelUrl = typeof session.cancel_url === "string" ? session.cancel_url : null;
  const closed = status !== "open";
  const body = closed
    ? `<div class="card"><h1>${status === "complete" ? "This payment is complete." : "This checkout session has expired."}</h1>
       ${status === "complete" && typeof session.success_url === "string" ? `<p><a href="${esc(String(session.success_url).replace("{CHECKOUT_SESSION_ID}", session.id))}">Return to the merchant</a></p>` : ""}</div>`
    : `<div class="card">
  <p class="muted">Pay <strong data-testid="checkout-merchant">${esc(merchantName())}</strong> <span class="badge">Test mode</span></p>
  <h1>${esc(lineItem)}</h1>
  <p class="amount" data-testid="checkout-amount">${esc(amount)}</p>
  ${options.error ? `<div class="error" role="alert" id="payment-error" data-testid="checkout-error">${esc(options.error)}</div>` : ""}
  <form method="post" action="/pay/${esc(session.id)}" novalidate ${options.error ? 'aria-describedby="payment-error"' : ""}>
    <label for="number">Card number</label>
    <input id="number" name="number" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" required value="${esc(values.number ?? "")}" ${options.error ? 'aria-invalid="true"' : ""}>
    <div class="row">
      <div><label for="expiry">Expiry (MM / YY)</label>
      <input id="expiry" name="expiry" inputmode="numeric" autocomplete="cc-exp" placeholder="MM / YY" required value="${esc(values.expiry ?? "")}"></div>
      <div><label for="cvc">CVC</label>
      <input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="123" required value="${esc(values.cvc ?? "")}"></div>
    </div>
    <label for="name">Name on card</label>
    <input id="name" name="name" autocomplete="cc-name" value="${esc(values.name ?? "")}">
    <button type="submit">Pay ${esc(amount)}</button>
  </form>
  <details class="muted" style="margin-top:1rem"><summary>Test cards</summary><ul>
    <li>4242 4242 4242 4242: succeeds</li><li>4000 0000 0000 0002: declined</li><li>4000 0000 0000 9995: insufficient funds</li>
  </ul>Any future expiry date and any 3-digit CVC.</details>
</div>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Pay ${esc(merchantName())} – local test processor</title><style>${STYLE}</style></head>
<body><main>${body}
<footer>${!closed && cancelUrl ? `<a href="${esc(cancelUrl)}" data-testid="checkout-cancel">← Cancel and return</a>` : ""}
<p class="muted">Local Stripe-compatible test processor. No real card is charged.</p></footer></main></body></html>`;
}

export function notFoundPage(message = "This checkout page does not exist."): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Not found</title><style>${STYLE}</style></head><body><main><div class="card"><h1>${esc(message)}</h1></div></main></body></html>`;
}

type OnboardingValues = { legalName?: string; routingNumber?: string; accountNumber?: string };

/** The hosted Express onboarding page (stand-in for Stripe's): plain HTML form, no script. */
export function onboardingPage(
  link: StripeObject,
  account: StripeObject,
  options: { errors?: Partial<Record<keyof OnboardingValues, string>>; values?: OnboardingValues } = {},
): string {
  const errors = options.errors ?? {};
  const values = options.values ?? {};
  const hasErrors = Object.keys(errors).length > 0;
  const field = (name: keyof OnboardingValues, label: string, attrs: string, hint?: string) => {
    const error = errors[name];
    const describedBy = [hint ? `${name}-hint` : "", error ? `${name}-error` : ""].filter(Boolean).join(" ");
    return `<label for="${name}">${esc(label)}</label>
    ${hint ? `<p class="muted" id="${name}-hint" style="margin:0 0 .25rem">${esc(hint)}</p>` : ""}
    <input id="${name}" name="${name}" ${attrs} required value="${esc(values[name] ?? "")}"${describedBy ? ` aria-describedby="${describedBy}"` : ""}${error ? ' aria-invalid="true"' : ""}>
    ${error ? `<p class="field-error" id="${name}-error">${esc(error)}</p>` : ""}`;
  };
  const email = typeof account.email === "string" ? account.email : null;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Set up payouts – local test processor</title><style>${STYLE}.field-error{color:#b91c1c;font-size:.875rem;margin:.25rem 0 0}</style></head>
<body><main><div class="card">
  <p class="muted">Payout account <span class="badge">Test mode</span></p>
  <h1>Set up your payout account</h1>
  <p class="muted">Tell us where to send your earnings${email ? ` (${esc(email)})` : ""}. Nothing is paid out in test mode.</p>
  ${hasErrors ? `<div class="error" role="alert" data-testid="onboarding-error">Please correct the highlighted fields.</div>` : ""}
  <form method="post" action="/connect/onboarding/${esc(link.id)}" novalidate>
    ${field("legalName", "Legal name", 'autocomplete="name"')}
    ${field("routingNumber", "Routing number", 'inputmode="numeric" autocomplete="off"', "Test routing number: 110000000")}
    ${field("accountNumber", "Account number", 'inputmode="numeric" autocomplete="off"', "Test account number: 000123456789")}
    <p class="muted">By selecting "Agree and submit" you agree to the connected account terms (test mode).</p>
    <button type="submit">Agree and submit</button>
  </form>
</div>
<footer><a href="${esc(String(link.return_url))}" data-testid="onboarding-exit">← Save and return later</a>
<p class="muted">Local Stripe-compatible test processor. No real account is opened.</p></footer></main></body></html>`;
}
