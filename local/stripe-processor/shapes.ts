// Stripe's published object shapes, applied where objects leave the processor (API responses, webhook events,
// error bodies): `present` fills every field Stripe's API reference marks as always present (for the API
// version in server.ts) with the value Stripe would give this object (null where Stripe gives null), keeps what
// the processor stored on top, and drops internal `_` fields at any depth. Stored objects stay lean; this also
// upgrades objects persisted by an older processor. Checked against the vendored schemas by
// tests/unit/stripeConformance.test.ts.
import { account, balanceTransaction, bankAccount, payout, transfer } from "./connectShapes";
import { BILLING_NULL, str, suffixOf, type Obj } from "./shapeCommon";

function paymentIntent(o: Obj): Obj {
  return {
    allowed_payment_method_types: null,
    amount_capturable: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic_async",
    client_secret: `${str(o.id)}_secret_${suffixOf(o.id).slice(0, 24)}`,
    confirmation_method: "automatic",
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    managed_payments: null,
    next_action: null,
    on_behalf_of: null,
    payment_method_configuration_details: null,
    payment_method_options: {
      card: { installments: null, mandate_options: null, network: null, request_three_d_secure: "automatic" },
    },
    payment_method_types: ["card"],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    transfer_group: null,
  };
}

function checkoutSession(o: Obj): Obj {
  const paid = o.payment_status === "paid";
  return {
    adaptive_pricing: { enabled: false },
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    client_secret: null,
    collected_information: paid ? { business_name: null, individual_name: null, shipping_details: null } : null,
    consent: null,
    consent_collection: null,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer_account: null,
    customer_creation: o.customer ? null : "if_required",
    customer_details:
      paid || o.customer_email
        ? {
            address: null,
            business_name: null,
            email: o.customer_email ?? null,
            individual_name: null,
            name: null,
            phone: null,
            tax_exempt: "none",
            tax_ids: [],
          }
        : null,
    discounts: [],
    integration_identifier: null,
    invoice: null,
    invoice_creation: {
      enabled: false,
      invoice_data: {
        account_tax_ids: null,
        custom_fields: null,
        description: null,
        footer: null,
        issuer: null,
        metadata: {},
        rendering_options: null,
      },
    },
    locale: null,
    managed_payments: null,
    origin_context: null,
    payment_link: null,
    payment_method_collection: "if_required",
    payment_method_configuration_details: null,
    payment_method_options: { card: { request_three_d_secure: "automatic" } },
    payment_method_types: ["card"],
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    submit_type: null,
    subscription: null,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted_page",
    wallet_options: null,
  };
}

function charge(o: Obj): Obj {
  const ok = o.status === "succeeded";
  return {
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: ok ? `txn_${suffixOf(o.id)}` : null,
    billing_details: BILLING_NULL,
    calculated_statement_descriptor: "ADVISOR MARKETPLACE",
    captured: ok,
    description: null,
    failure_balance_transaction: null,
    fraud_details: {},
    on_behalf_of: null,
    receipt_email: null,
    receipt_number: null,
    receipt_url: ok ? `https://pay.stripe.com/receipts/payment/${suffixOf(o.id)}` : null,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    transfer_data: null,
    transfer_group: null,
  };
}

/** `outcome` and `payment_method_details.card` carry every always-present field (stored leaner). */
function chargeParts(o: Obj): Obj {
  const ok = o.status === "succeeded";
  const stored = (o.outcome ?? {}) as Obj;
  const outcome = {
    advice_code: ok ? null : "try_again_later",
    network_advice_code: null,
    network_decline_code: null,
    network_status: ok ? "approved_by_network" : "declined_by_network",
    reason: ok ? null : (stored.reason ?? "generic_decline"),
    risk_level: "normal",
    seller_message: ok ? "Payment complete." : "The bank did not return any further details with this decline.",
    type: stored.type ?? (ok ? "authorized" : "issuer_declined"),
  };
  const details = (o.payment_method_details ?? { type: "card", card: {} }) as { type: string; card?: Obj };
  const card = details.card ?? {};
  return {
    outcome,
    payment_method_details: {
      type: details.type,
      card: {
        amount_authorized: ok ? o.amount : null,
        authorization_code: ok ? "123456" : null,
        brand: card.brand ?? null,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
        country: card.country ?? null,
        electronic_commerce_indicator: null,
        exp_month: card.exp_month ?? 12,
        exp_year: card.exp_year ?? 2030,
        funding: card.funding ?? null,
        installments: null,
        last4: card.last4 ?? null,
        mandate: null,
        network: card.brand ?? null,
        network_transaction_id: ok ? `${suffixOf(o.id).slice(0, 15)}` : null,
        regulated_status: "unregulated",
        three_d_secure: null,
        transaction_link_id: null,
        wallet: null,
      },
    },
  };
}

function paymentMethod(o: Obj): Obj {
  const card = (o.card ?? {}) as Obj;
  return {
    billing_details: { ...BILLING_NULL, ...((o.billing_details ?? {}) as Obj) },
    customer_account: null,
    card: {
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
      display_brand: card.brand ?? null,
      generated_from: null,
      networks: { available: [card.brand ?? "visa"], preferred: null },
      regulated_status: "unregulated",
      three_d_secure_usage: { supported: true },
      wallet: null,
      ...card,
    },
  };
}

function customer(): Obj {
  return {
    balance: 0,
    default_source: null,
    description: null,
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    shipping: null,
  };
}

function refund(o: Obj): Obj {
  return {
    balance_transaction: `txn_${suffixOf(o.id)}`,
    customer: null,
    customer_account: null,
    destination_details: {
      card: { reference_status: "pending", reference_type: "acquirer_reference_number", type: "refund" },
      type: "card",
    },
    payment_method: null,
    receipt_number: null,
    source_transfer_reversal: null,
    transfer_reversal: null,
  };
}

function dispute(o: Obj): Obj {
  const open = o.status === "needs_response" || o.status === "warning_needs_response";
  return {
    enhanced_eligibility_types: [],
    evidence: {
      access_activity_log: null,
      billing_address: null,
      cancellation_policy: null,
      cancellation_policy_disclosure: null,
      cancellation_rebuttal: null,
      customer_communication: null,
      customer_email_address: null,
      customer_name: null,
      customer_purchase_ip: null,
      customer_signature: null,
      duplicate_charge_documentation: null,
      duplicate_charge_explanation: null,
      duplicate_charge_id: null,
      enhanced_evidence: {},
      product_description: null,
      receipt: null,
      refund_policy: null,
      refund_policy_disclosure: null,
      refund_refusal_explanation: null,
      service_date: null,
      service_documentation: null,
      shipping_address: null,
      shipping_carrier: null,
      shipping_date: null,
      shipping_documentation: null,
      shipping_tracking_number: null,
      uncategorized_file: null,
      uncategorized_text: null,
    },
    evidence_details: {
      due_by: open ? Number(o.created) + 21 * 86400 : null,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: "not_submitted",
    },
    intended_submission_method: null,
    network_reason_code: "10.4",
    payment_method_details: {
      card: { brand: "visa", case_type: "chargeback", network: "visa", network_reason_code: "10.4" },
      type: "card",
    },
  };
}

const DEFAULTS: Record<string, (o: Obj) => Obj> = {
  payment_intent: paymentIntent,
  "checkout.session": checkoutSession,
  charge,
  payment_method: paymentMethod,
  customer,
  refund,
  account,
  bank_account: bankAccount,
  dispute,
  balance_transaction: balanceTransaction,
  payout,
  transfer,
  transfer_reversal: () => ({ metadata: {} }),
};

/** Fields whose stored value must be replaced (not kept) because the stored value is a leaner shape. */
const REPLACE: Record<string, (o: Obj) => Obj> = {
  charge: chargeParts,
  account: (o) => {
    const parts = account(o);
    return {
      settings: parts.settings,
      requirements: parts.requirements,
      business_profile: parts.business_profile,
      tos_acceptance: parts.tos_acceptance,
      ...("individual" in parts ? { individual: parts.individual } : {}),
    };
  },
  payment_method: (o) => ({ billing_details: paymentMethod(o).billing_details, card: paymentMethod(o).card }),
  transfer,
};

/** Fields the processor stores that these objects do not have on Stripe. */
const OMIT: Record<string, string[]> = { refund: ["livemode"], account: ["livemode"] };

/** The object as Stripe sends it: always-present fields filled, internal `_` fields dropped, at any depth. */
export function present<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => present(v)) as T;
  if (value === null || typeof value !== "object") return value;
  const obj = value as Obj;
  const kind = typeof obj.object === "string" ? obj.object : undefined;
  const filled: Obj =
    kind !== undefined && DEFAULTS[kind] ? { ...DEFAULTS[kind](obj), ...obj, ...(REPLACE[kind]?.(obj) ?? {}) } : obj;
  const out: Obj = {};
  const omit = kind !== undefined ? OMIT[kind] : undefined;
  for (const [key, v] of Object.entries(filled))
    if (!key.startsWith("_") && !omit?.includes(key)) out[key] = present(v);
  return out as T;
}
