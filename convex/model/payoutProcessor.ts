// The processor calls payouts need, behind one small interface: the Stripe SDK in production and with the
// local processor (convex/payoutWorker.ts), or a fake injected by tests. Idempotency keys come from the
// outbox row, so a retry after a lost answer returns the object the processor already made.

export class ProcessorCallError extends Error {
  constructor(
    message: string,
    /** Transient (network, timeout, 5xx, rate limit): try again later. Otherwise the processor refused. */
    readonly retryable: boolean,
    readonly code?: string,
  ) {
    super(message);
    this.name = "ProcessorCallError";
  }
}

export type PayoutProcessor = {
  createTransfer(
    input: {
      amountCents: number;
      currency: string;
      destination: string;
      transferGroup: string;
      metadata: Record<string, string>;
    },
    idempotencyKey: string,
  ): Promise<{ id: string }>;
  /** A bank payout from the connected account's balance. */
  createPayout(
    input: { amountCents: number; currency: string; metadata: Record<string, string> },
    connectedAccountId: string,
    idempotencyKey: string,
  ): Promise<{ id: string }>;
  reverseTransfer(
    transferId: string,
    input: { amountCents?: number; metadata: Record<string, string> },
    idempotencyKey: string,
  ): Promise<{ id: string }>;
};

let injected: PayoutProcessor | null = null;

/** Tests (convex-test runs the modules in-process) replace the processor; null restores the real one. */
export function setPayoutProcessorForTests(processor: PayoutProcessor | null): void {
  injected = processor;
}

export function injectedPayoutProcessor(): PayoutProcessor | null {
  return injected;
}
