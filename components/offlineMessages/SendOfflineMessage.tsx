"use client";

import Link from "next/link";
import dynamic from "next/dynamic";
import { useQuery } from "convex/react";
import { Mail } from "lucide-react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatMoney } from "@/lib/money";

// The form (dialog, toasts, text fields) loads only for signed-in clients: visitors see the offer and a sign-in link.
const OfflineMessageComposer = dynamic(() => import("./OfflineMessageComposer").then((m) => m.OfflineMessageComposer), {
  ssr: false,
});

/** "Send a message" on an advisor's profile when they take paid offline messages (see OfflineMessageComposer). */
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

  if (offer === undefined || offer === null || offer.priceCents === null) return null;
  const priceCents = offer.priceCents;

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
          <OfflineMessageComposer profileId={profileId} advisorName={advisorName} priceCents={priceCents} />
        )}
      </CardContent>
    </Card>
  );
}
