"use client";

import { useState } from "react";
import { useAction, useQuery } from "convex/react";
import { Landmark } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";
import { userMessage } from "@/lib/errors";

type Status = "not_connected" | "pending" | "enabled" | "restricted";

export const PAYOUT_STATUS_TEXT: Record<
  Status,
  { label: string; tone: "neutral" | "warning" | "success" | "danger"; help: string }
> = {
  not_connected: {
    label: "Not connected",
    tone: "neutral",
    help: "Connect a payout account so your earnings can be paid to your bank.",
  },
  pending: {
    label: "Setup not finished",
    tone: "warning",
    help: "Your payout account is created but the setup is not finished yet.",
  },
  enabled: {
    label: "Payouts enabled",
    tone: "success",
    help: "Your payout account is ready. Earnings can be paid out to it.",
  },
  restricted: {
    label: "Needs attention",
    tone: "danger",
    help: "The payment processor needs more information before it can pay you.",
  },
};

/** Compact live status for the profile banner. */
export function PayoutStatusLine() {
  const payout = useQuery(api.payoutAccounts.mine);
  const text = payout ? PAYOUT_STATUS_TEXT[payout.status] : null;
  return (
    <p className="flex items-center gap-2 text-sm text-slate-600" data-testid="payout-status" aria-live="polite">
      <Landmark className="size-4 text-slate-400" aria-hidden="true" /> Payout account:{" "}
      {text ? <Badge tone={text.tone}>{text.label}</Badge> : <span className="text-slate-400">loading…</span>}
    </p>
  );
}

/** "Payout account" card: live status and the button that opens the processor's onboarding. */
export function PayoutAccountCard() {
  const payout = useQuery(api.payoutAccounts.mine);
  const start = useAction(api.stripeNode.startPayoutOnboarding);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (payout === undefined) return <p className="text-sm text-slate-500">Loading payout account…</p>;
  const text = PAYOUT_STATUS_TEXT[payout.status];

  const onConnect = async () => {
    setBusy(true);
    setError(null);
    try {
      const { url } = await start({});
      window.location.assign(url);
    } catch (e) {
      setError(userMessage(e));
      setBusy(false);
    }
  };

  return (
    <section
      aria-labelledby="payout-account-heading"
      className="flex flex-col gap-3 border-t border-slate-100 pt-4 sm:flex-row sm:items-center sm:justify-between"
      data-testid="payout-card"
    >
      <div className="min-w-0">
        <h2 id="payout-account-heading" className="flex items-center gap-2 text-sm font-semibold text-slate-900">
          <Landmark className="size-4 text-slate-500" aria-hidden="true" /> Payout account
          <Badge tone={text.tone} data-testid="payout-card-status">
            {text.label}
          </Badge>
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          {payout.canConnect || payout.status !== "not_connected"
            ? text.help
            : "You can connect a payout account once your profile is approved."}
        </p>
        {error ? (
          <p role="alert" className="mt-1 text-sm text-red-600" data-testid="payout-error">
            {error}
          </p>
        ) : null}
      </div>
      {payout.canConnect && payout.status !== "enabled" ? (
        <Button className="shrink-0" disabled={busy} aria-busy={busy} onClick={() => void onConnect()}>
          {busy ? "Opening…" : payout.status === "not_connected" ? "Connect payout account" : "Finish setup"}
        </Button>
      ) : null}
    </section>
  );
}
