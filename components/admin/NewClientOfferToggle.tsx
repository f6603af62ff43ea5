"use client";

import { useMutation, useQuery } from "convex/react";
import { Gift } from "lucide-react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm";
import { Skeleton } from "@/components/ui/misc";
import { userMessage } from "@/lib/errors";

/** Admin switch: a client's first session has its first 3 minutes paid by the promotions account. */
export function NewClientOfferToggle() {
  const settings = useQuery(api.platformSettings.get);
  const set = useMutation(api.platformSettings.setNewClientOffer);
  const enabled = settings?.newClientOffer ?? false;
  return (
    <section
      className="flex flex-wrap items-center gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm"
      aria-labelledby="offer-title"
    >
      <Gift className="size-6 shrink-0 text-brand-600" aria-hidden="true" />
      <div className="min-w-0 flex-1">
        <p id="offer-title" className="font-semibold">
          New-client offer
        </p>
        <p className="text-sm text-slate-600">
          A client&apos;s first session with any advisor has its first 3 minutes free; the advisor is paid from the
          promotions account.
        </p>
      </div>
      {settings === undefined ? (
        <Skeleton className="h-10 w-28" />
      ) : (
        <ConfirmDialog
          trigger={
            <Button variant={enabled ? "secondary" : "primary"} data-testid="offer-toggle" data-enabled={enabled}>
              {enabled ? "Switch off" : "Switch on"}
            </Button>
          }
          title={enabled ? "Switch the new-client offer off?" : "Switch the new-client offer on?"}
          description={
            enabled
              ? "Sessions that start from now on are charged from the first second."
              : "First sessions that start from now on get 3 free minutes, paid by the platform."
          }
          confirmLabel={enabled ? "Switch off" : "Switch on"}
          cancelLabel="Cancel"
          onConfirm={() =>
            void set({ enabled: !enabled }).then(
              () => toast.success(enabled ? "Offer switched off." : "Offer switched on."),
              (e: unknown) => toast.error(userMessage(e)),
            )
          }
        />
      )}
      <p className="w-full text-xs text-slate-500" role="status">
        Status: {enabled ? "on" : "off"}
      </p>
    </section>
  );
}
