"use client";

import { useConvexAuth, useQuery } from "convex/react";
import { BellRing } from "lucide-react";
import { useEffect, useRef } from "react";
import { api } from "@/convex/_generated/api";
import { Button } from "@/components/ui/button";
import { formatRate } from "@/lib/format";
import { Countdown } from "./Countdown";
import { chime } from "./sound";
import { useQueueActions } from "./useQueueActions";

/** The client's turn from a queue, on any page and in every open tab: sound, a system notification, accept or pass. */
export function QueueOfferWatcher() {
  const { isAuthenticated } = useConvexAuth();
  const mine = useQuery(api.queue.mine, isAuthenticated ? {} : "skip");
  const { busy, accept, leave } = useQueueActions();
  const notified = useRef(new Set<number>());
  const offer = mine?.status === "offered" && mine.offerExpiresAt !== null ? mine : null;
  const offerKey = offer?.offerExpiresAt ?? null;

  useEffect(() => {
    if (offerKey === null || offer === null) return;
    chime();
    const timer = setInterval(chime, 5000);
    if (
      !notified.current.has(offerKey) &&
      typeof Notification !== "undefined" &&
      Notification.permission === "granted" &&
      document.hidden
    ) {
      notified.current.add(offerKey);
      new Notification(`It's your turn with ${offer.advisor.displayName}`, {
        body: "Start within 60 seconds.",
        tag: `queue-${offerKey}`,
      });
    }
    return () => clearInterval(timer);
  }, [offerKey]); // eslint-disable-line react-hooks/exhaustive-deps -- one chime series per offer

  if (offer === null || offer.offerExpiresAt === null) return null;
  const rate = offer.rateCentsPerMinute;
  return (
    <div
      role="alertdialog"
      aria-labelledby="queue-offer-title"
      aria-describedby="queue-offer-desc"
      className="fixed inset-x-3 bottom-3 z-50 rounded-2xl border border-brand-200 bg-white p-4 shadow-2xl sm:left-auto sm:right-4 sm:w-96"
      data-testid="queue-offer"
    >
      <p id="queue-offer-title" className="flex items-center gap-2 font-semibold">
        <BellRing className="size-4 animate-pulse text-brand-600 motion-reduce:animate-none" aria-hidden="true" />
        It&apos;s your turn with {offer.advisor.displayName}
      </p>
      <p id="queue-offer-desc" className="mt-1 text-sm text-slate-600">
        {offer.advisor.displayName} is free now. Start your {offer.kind} session
        {rate === null ? "" : ` at ${formatRate(rate)}`} within <Countdown until={offer.offerExpiresAt} />, or the turn
        passes to the next client.
      </p>
      <div className="mt-3 flex gap-2">
        <Button
          className="flex-1"
          disabled={busy || rate === null}
          onClick={() => rate !== null && void accept(rate)}
          data-testid="queue-offer-accept"
          autoFocus
        >
          Start {offer.kind}
        </Button>
        <Button
          variant="secondary"
          className="flex-1"
          disabled={busy}
          onClick={() => void leave("You passed your turn.")}
          data-testid="queue-offer-pass"
        >
          Pass
        </Button>
      </div>
    </div>
  );
}
