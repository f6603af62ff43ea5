// Stripe's always-present fields for the Connect objects (accounts and their representative, bank accounts,
// balance transactions, payouts, transfers); applied by `present` in ./shapes.ts.
import { ADDRESS_NULL, str, suffixOf, type Obj } from "./shapeCommon";

export function account(o: Obj): Obj {
  const stored = (o.settings ?? {}) as Obj;
  const payouts = (stored.payouts ?? {}) as Obj;
  const individual = o.individual as Obj | undefined;
  return {
    business_profile: {
      annual_revenue: null,
      estimated_worker_count: null,
      mcc: null,
      minority_owned_business_designation: null,
      name: null,
      product_description: null,
      specified_commercial_transactions_act_url: null,
      support_address: null,
      support_email: null,
      support_phone: null,
      support_url: null,
      url: null,
      ...((o.business_profile ?? {}) as Obj),
    },
    controller: {
      fees: { payer: "application" },
      is_controller: true,
      losses: { payments: "application" },
      requirement_collection: "stripe",
      stripe_dashboard: { type: "express" },
      type: "application",
    },
    future_requirements: {
      alternatives: [],
      current_deadline: null,
      currently_due: [],
      disabled_reason: null,
      errors: [],
      eventually_due: [],
      past_due: [],
      pending_verification: [],
    },
    requirements: {
      alternatives: [],
      current_deadline: null,
      errors: [],
      pending_verification: [],
      ...((o.requirements ?? {}) as Obj),
    },
    settings: {
      bacs_debit_payments: { display_name: null, service_user_number: null },
      branding: { icon: null, logo: null, primary_color: null, secondary_color: null },
      card_issuing: { tos_acceptance: { date: null, ip: null } },
      card_payments: {
        decline_on: { avs_failure: false, cvc_failure: false },
        statement_descriptor_prefix: null,
        statement_descriptor_prefix_kana: null,
        statement_descriptor_prefix_kanji: null,
      },
      dashboard: { display_name: null, timezone: "Etc/UTC" },
      invoices: { default_account_tax_ids: null, hosted_payment_method_save: "offer" },
      payments: {
        statement_descriptor: null,
        statement_descriptor_kana: null,
        statement_descriptor_kanji: null,
        statement_descriptor_prefix_kana: null,
        statement_descriptor_prefix_kanji: null,
      },
      sepa_debit_payments: {},
      ...stored,
      payouts: { debit_negative_balances: true, statement_descriptor: null, ...payouts },
    },
    tos_acceptance: { date: null, ip: null, user_agent: null, ...((o.tos_acceptance ?? {}) as Obj) },
    // Stripe returns the representative of an individual account as a full person object.
    ...(individual !== undefined && individual.object !== "person" ? { individual: person(o, individual) } : {}),
  };
}

function person(acct: Obj, fields: Obj): Obj {
  return {
    id: `person_${suffixOf(acct.id)}`,
    object: "person",
    account: acct.id,
    address: ADDRESS_NULL,
    created: acct.created,
    dob: { day: null, month: null, year: null },
    email: acct.email ?? null,
    first_name: null,
    future_requirements: {
      alternatives: [],
      currently_due: [],
      errors: [],
      eventually_due: [],
      past_due: [],
      pending_verification: [],
    },
    id_number_provided: false,
    last_name: null,
    metadata: {},
    phone: null,
    relationship: {
      authorizer: null,
      director: null,
      executive: null,
      legal_guardian: null,
      owner: null,
      percent_ownership: null,
      representative: true,
      title: null,
    },
    requirements: {
      alternatives: [],
      currently_due: [],
      errors: [],
      eventually_due: [],
      past_due: [],
      pending_verification: [],
    },
    ssn_last_4_provided: false,
    verification: {
      additional_document: { back: null, details: null, details_code: null, front: null },
      details: null,
      details_code: null,
      document: { back: null, details: null, details_code: null, front: null },
      status: "verified",
    },
    ...fields,
  };
}

export function bankAccount(o: Obj): Obj {
  return {
    account_holder_name: null,
    account_holder_type: null,
    account_type: null,
    available_payout_methods: ["standard", "instant"],
    fingerprint: `fp_${suffixOf(o.id).slice(0, 16)}`,
    metadata: {},
  };
}

export function balanceTransaction(o: Obj): Obj {
  const fee = Number(o.fee ?? 0);
  return {
    available_on: o.created ?? 0,
    balance_type: "payments",
    created: o.created ?? 0,
    description: null,
    exchange_rate: null,
    fee_details:
      fee === 0
        ? []
        : [{ amount: fee, application: null, currency: o.currency, description: "Dispute fee", type: "stripe_fee" }],
    source: null,
    status: "available",
  };
}

export function payout(o: Obj): Obj {
  return {
    application_fee: null,
    application_fee_amount: null,
    payout_method: null,
    reconciliation_status: o.status === "paid" ? "completed" : "not_applicable",
    trace_id:
      o.status === "paid"
        ? { status: "supported", value: `TRC${suffixOf(o.id).slice(0, 12)}` }
        : { status: "pending", value: null },
  };
}

export function transfer(o: Obj): Obj {
  const reversals = (o.reversals ?? {
    object: "list",
    data: [],
    has_more: false,
    url: `/v1/transfers/${str(o.id)}/reversals`,
  }) as Obj;
  const { total_count: _count, ...list } = reversals;
  return { reversals: list };
}
