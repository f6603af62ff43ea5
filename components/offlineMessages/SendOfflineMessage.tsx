"use client";

import Link from "next/link";
import { useState } from "react";
import { useMutation, useQuery } from "convex/react";
import { Mail } from "lucide-react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm";
import { FormAlert, TextareaField, lengthProblem } from "@/components/ui/text-fields";
import { userMessage } from "@/lib/errors";
import { formatMoney } from "@/lib/money";
import { OFFLINE_MESSAGE_RULES } from "@/lib/offlineMessages";

function newRequestKey(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/**
 * "Send a message" on an advisor's profile when they take paid offline messages. The price is held from the wallet
 * (after a confirmation) and refunded in full if there is no reply within 48 hours. One request key per message
 * written, so a double click or a retry holds the money once.
 */
export function SendOfflineMessage({
  profileId,
  advisorName,
  signedIn,
}: {
  profileId: Id<"advisorProfiles">;
  advisorName: string;
  signedIn: boolean;
}) {
  const offer = useQuery(api.offlineMessages.offer, { profileId });
  const viewer = useQuery(api.users.viewer, signedIn ? {} : "skip");
  const wallet = useQuery(api.wallet.getMyWallet, signedIn && viewer?.role === "client" ? {} : "skip");
  const send = useMutation(api.offlineMessages.send);
  const [body, setBody] = useState("");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [requestKey, setRequestKey] = useState(newRequestKey);

  if (offer === undefined || offer === null || offer.priceCents === null) return null;
  const priceCents = offer.priceCents;
  const problem = lengthProblem(body, {
    min: 1,
    max: OFFLINE_MESSAGE_RULES.bodyMaxChars,
    tooShort: "Write your message first.",
    tooLong: `Keep it to ${OFFLINE_MESSAGE_RULES.bodyMaxChars.toLocaleString("en-US")} characters.`,
  });
  const short = wallet !== undefined && wallet.availableCents < priceCents;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await send({ advisorProfileId: profileId, body, priceCents, requestKey });
      toast.success(`Message sent. ${formatMoney(priceCents)} is held until ${advisorName} replies.`);
      setBody("");
      setTouched(false);
      setRequestKey(newRequestKey());
    } catch (e) {
      setError(userMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card data-testid="offline-message-card">
      <CardHeader className="flex-row items-center gap-2">
        <Mail className="size-5 text-brand-600" aria-hidden="true" />
        <CardTitle>Send a message — {formatMoney(priceCents)}</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-3 text-sm">
        <p className="text-slate-600">
          {advisorName} answers in writing within 48 hours. The price is held from your wallet and paid only when they
          reply in time; otherwise it comes back in full.
        </p>
        {!signedIn ? (
          <Link
            href={`/sign-in?redirect_url=${encodeURIComponent(`/advisors/${profileId}`)}`}
            className="text-brand-700 underline"
          >
            Sign in to send a message
          </Link>
        ) : viewer !== undefined && viewer !== null && viewer.role !== "client" ? (
          <p className="text-slate-500">Messages are sent from a client account.</p>
        ) : (
          <>
            <TextareaField
              label="Your message"
              value={body}
              onChange={setBody}
              onBlur={() => setTouched(true)}
              problem={problem}
              showProblem={touched}
              rows={5}
              counterMax={OFFLINE_MESSAGE_RULES.bodyMaxChars}
              testId="offline-message-body"
            />
            {short ? (
              <p className="text-amber-700" data-testid="offline-message-short">
                Your wallet has {formatMoney(wallet!.availableCents)}.{" "}
                <Link href="/user-dashboard/wallet" className="underline">
                  Top up
                </Link>{" "}
                to send this message.
              </p>
            ) : null}
            <FormAlert testId="offline-message-error">{error}</FormAlert>
            <ConfirmDialog
              trigger={
                <Button
                  className="self-start"
                  disabled={busy || short || wallet === undefined}
                  onClick={(e) => {
                    setTouched(true);
                    if (problem !== null) e.preventDefault();
                  }}
                  data-testid="offline-message-send"
                >
                  {busy ? "Sending…" : `Send for ${formatMoney(priceCents)}`}
                </Button>
              }
              title={`Hold ${formatMoney(priceCents)} for this message?`}
              description={`${formatMoney(priceCents)} leaves your wallet now and is held. ${advisorName} is paid when they reply within 48 hours; if they do not, it comes back to your wallet automatically.`}
              confirmLabel={`Hold ${formatMoney(priceCents)} and send`}
              cancelLabel="Not now"
              onConfirm={() => void submit()}
            />
          </>
        )}
      </CardContent>
    </Card>
  );
}
