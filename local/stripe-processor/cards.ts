// Test card numbers and their outcomes, as in Stripe test mode.
export type CardOutcome =
  | { ok: true; brand: string; last4: string }
  | { ok: false; code: string; declineCode?: string; message: string; param?: string };

export const TEST_CARDS = {
  success: "4242424242424242",
  declined: "4000000000000002",
  insufficientFunds: "4000000000009995",
} as const;

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function brandOf(digits: string): string {
  if (digits.startsWith("4")) return "visa";
  if (/^5[1-5]/.test(digits) || /^2[2-7]/.test(digits)) return "mastercard";
  if (/^3[47]/.test(digits)) return "amex";
  return "unknown";
}

export function normalizeCardNumber(input: string): string {
  return input.replace(/[\s-]/g, "");
}

/** Validates what the payer typed; null when fine, else a card_error outcome. */
export function validateCardInput(
  input: { number: string; expiry: string; cvc: string },
  now = new Date(),
): CardOutcome | null {
  const digits = normalizeCardNumber(input.number);
  if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits)) {
    return { ok: false, code: "incorrect_number", message: "Your card number is incorrect.", param: "number" };
  }
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(input.expiry);
  if (match === null || Number(match[1]) < 1 || Number(match[1]) > 12) {
    return {
      ok: false,
      code: "invalid_expiry_month",
      message: "Your card's expiration date is incomplete or invalid.",
      param: "exp_month",
    };
  }
  const month = Number(match[1]);
  const year = match[2]!.length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
  if (year < now.getUTCFullYear() || (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1)) {
    return { ok: false, code: "expired_card", message: "Your card has expired.", param: "exp_year" };
  }
  if (!/^\d{3,4}$/.test(input.cvc.trim())) {
    return { ok: false, code: "incorrect_cvc", message: "Your card's security code is incomplete.", param: "cvc" };
  }
  return null;
}

/** What charging this card does. */
export function chargeOutcome(cardNumber: string): CardOutcome {
  const digits = normalizeCardNumber(cardNumber);
  if (digits === TEST_CARDS.declined) {
    return { ok: false, code: "card_declined", declineCode: "generic_decline", message: "Your card was declined." };
  }
  if (digits === TEST_CARDS.insufficientFunds) {
    return {
      ok: false,
      code: "card_declined",
      declineCode: "insufficient_funds",
      message: "Your card has insufficient funds.",
    };
  }
  if (!luhnValid(digits)) return { ok: false, code: "incorrect_number", message: "Your card number is incorrect." };
  return { ok: true, brand: brandOf(digits), last4: digits.slice(-4) };
}
