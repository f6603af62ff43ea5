"use client";

import Link from "next/link";
import { useState } from "react";
import { useMutation, useQuery } from "convex/react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";
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
 * The message form for a signed-in client (SendOfflineMessage loads it on demand). The price is held from the wallet
 * (after a confirmation) and refunded in full if there is no reply within 48 hours. One request key per message
 * written, so a double click or a retry holds the money once.
 */
export function OfflineMessageComposer({
  profileId,
  advisorName,
  priceCents,
}: {
  profileId: Id<"advisorProfiles">;
  advisorName: string;
  priceCents: number;
}) {
  const viewer = useQuery(api.users.viewer, {});
  const wallet = useQuery(api.wallet.getMyWallet, viewer?.role === "client" ? {} : "skip");
  const send = useMutation(api.offlineMessages.send);
  const [body, setBody] = useState("");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [requestKey, setRequestKey] = useState(newRequestKey);

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
  );
}
