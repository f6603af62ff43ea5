"use client";

import { useAction } from "convex/react";
import { CheckCircle2, Plus, XCircle } from "lucide-react";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm";
import { userMessage } from "@/lib/errors";
import { TOP_UP_PRESETS_CENTS, checkTopUpAmount } from "@/lib/payments/topupAmounts";
import { centsToDecimalString, formatMoney } from "@/lib/money";

/**
 * Top up from inside the room: the checkout opens in a popup window so the session page (and its
 * heartbeat) stays open; the wallet, the time left and the funds timer update live when the payment lands.
 */
export function RoomTopUp({ compact = false }: { compact?: boolean }) {
  const createCheckout = useAction(api.stripeNode.createTopUpCheckout);
  const [amountCents, setAmountCents] = useState<number>(TOP_UP_PRESETS_CENTS[1]);
  const [busy, setBusy] = useState(false);

  const pay = async () => {
    // Open the window inside the click so popup blockers allow it, then point it at the checkout.
    const popup = window.open("about:blank", "topup", "popup,width=520,height=760");
    setBusy(true);
    try {
      const amount = centsToDecimalString(amountCents);
      if (!checkTopUpAmount(amount).ok) throw new Error("Choose a valid amount.");
      const { url } = await createCheckout({ amount, returnTo: "popup" });
      if (popup) popup.location.href = url;
      else window.open(url, "topup");
      toast.message("Complete the payment in the new window. Your session keeps running.");
    } catch (error) {
      popup?.close();
      toast.error(userMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="room-topup">
      {!compact ? (
        <div role="radiogroup" aria-label="Top-up amount" className="flex gap-1">
          {TOP_UP_PRESETS_CENTS.map((cents) => (
            <button
              key={cents}
              type="button"
              role="radio"
              aria-checked={amountCents === cents}
              onClick={() => setAmountCents(cents)}
              className={`rounded-md border px-2 py-1 text-xs font-medium ${amountCents === cents ? "border-brand-600 bg-brand-50 text-brand-700" : "border-slate-200 bg-white"}`}
            >
              {formatMoney(cents)}
            </button>
          ))}
        </div>
      ) : null}
      <ConfirmDialog
        trigger={
          <Button size="sm" disabled={busy}>
            <Plus aria-hidden="true" /> {busy ? "Opening…" : `Top up ${formatMoney(amountCents)}`}
          </Button>
        }
        title={`Add ${formatMoney(amountCents)} to your wallet?`}
        description="A secure payment window opens. Your session stays open here while you pay."
        confirmLabel={`Pay ${formatMoney(amountCents)}`}
        cancelLabel="Not now"
        onConfirm={() => void pay()}
      />
    </div>
  );
}

/** Shown in the popup after the checkout returns; closes itself. */
export function TopUpComplete({ ok }: { ok: boolean }) {
  useEffect(() => {
    if (!ok || !window.opener) return;
    const timer = setTimeout(() => window.close(), 2500);
    return () => clearTimeout(timer);
  }, [ok]);
  return (
    <div className="mx-auto flex max-w-md flex-col items-center gap-3 py-16 text-center" role="status">
      {ok ? (
        <CheckCircle2 className="size-10 text-emerald-600" aria-hidden="true" />
      ) : (
        <XCircle className="size-10 text-slate-400" aria-hidden="true" />
      )}
      <h1 className="text-xl font-semibold">{ok ? "Payment received" : "Payment cancelled"}</h1>
      <p className="text-slate-600">
        {ok
          ? "Your wallet updates in a moment. You can close this window and return to your session."
          : "Nothing was charged. You can close this window."}
      </p>
      <Button variant="secondary" onClick={() => window.close()}>
        Close window
      </Button>
    </div>
  );
}
