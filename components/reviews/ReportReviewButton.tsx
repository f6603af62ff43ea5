"use client";

import { useMutation } from "convex/react";
import { Flag } from "lucide-react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";
import { ReasonDialog } from "@/components/ui/reason-dialog";
import { userMessage } from "@/lib/errors";

/** "Report" under a review: a reason, then the moderators decide to hide it or keep it. */
export function ReportReviewButton({ reviewId }: { reviewId: Id<"reviews"> }) {
  const report = useMutation(api.reviews.report);
  return (
    <ReasonDialog
      trigger={
        <Button variant="ghost" size="sm" className="self-start text-slate-500" data-testid="review-report">
          <Flag aria-hidden="true" /> Report
        </Button>
      }
      title="Report this review"
      description="Tell the moderators what is wrong (abuse, personal details, not about a session). They may hide it."
      label="Reason"
      min={5}
      max={500}
      confirmLabel="Send report"
      tone="primary"
      onConfirm={async (reason) => {
        try {
          await report({ reviewId, reason });
          toast.success("Thanks — the moderators will look at it.");
          return null;
        } catch (e) {
          return userMessage(e);
        }
      }}
    />
  );
}
