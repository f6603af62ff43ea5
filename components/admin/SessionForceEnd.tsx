"use client";

import { useId, useState } from "react";
import { useMutation } from "convex/react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm";
import { FieldError, Label } from "@/components/ui/input";
import { userMessage } from "@/lib/errors";

const REASON_MIN = 3;
const REASON_MAX = 500;

/** An admin ends an open session now (or cancels a ringing request), with a reason for the audit log. */
export function ForceEnd({ sessionId, ringing }: { sessionId: Id<"sessions">; ringing: boolean }) {
  const adminEnd = useMutation(api.sessions.adminEnd);
  const [reason, setReason] = useState("");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const ids = { reason: useId(), error: useId() };
  const length = reason.trim().length;
  const problem =
    length < REASON_MIN
      ? `Give a reason (at least ${REASON_MIN} characters).`
      : length > REASON_MAX
        ? `Keep the reason to ${REASON_MAX} characters or fewer.`
        : null;
  async function confirm() {
    setBusy(true);
    try {
      await adminEnd({ sessionId, reason: reason.trim() });
      toast.success(ringing ? "Request cancelled." : "Session ended and settled.");
      setReason("");
      setTouched(false);
    } catch (error) {
      toast.error(userMessage(error));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card className="border-red-200" data-testid="admin-force-end">
      <CardHeader>
        <CardTitle>{ringing ? "Cancel the request" : "Force-end"}</CardTitle>
        <CardDescription>
          {ringing
            ? "Stops the ringing; nothing is charged."
            : "Ends the session now and settles it normally: the client pays for the billed time so far. Both sides see the receipt. Recorded in the audit log with your reason."}
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={ids.reason}>Reason (required)</Label>
          <textarea
            id={ids.reason}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            onBlur={() => setTouched(true)}
            rows={2}
            maxLength={REASON_MAX + 50}
            aria-invalid={touched && problem !== null}
            aria-describedby={touched && problem ? ids.error : undefined}
            className="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm focus-visible:border-brand-500 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500/30 aria-[invalid=true]:border-red-500"
            data-testid="force-end-reason"
          />
          <FieldError id={ids.error}>{touched && problem ? problem : undefined}</FieldError>
        </div>
        {problem !== null ? (
          <Button variant="danger" className="self-start" onClick={() => setTouched(true)} data-testid="force-end-open">
            {ringing ? "Cancel request" : "Force-end session"}
          </Button>
        ) : (
          <ConfirmDialog
            trigger={
              <Button variant="danger" className="self-start" disabled={busy} data-testid="force-end-open">
                {busy ? "Ending…" : ringing ? "Cancel request" : "Force-end session"}
              </Button>
            }
            title={ringing ? "Cancel this request?" : "End this session now?"}
            description={
              <>
                {ringing
                  ? "The client's request stops ringing."
                  : "Billing stops now and the session is settled for the time billed so far."}{" "}
                Reason: “{reason.trim()}”
              </>
            }
            confirmLabel={ringing ? "Cancel request" : "End session"}
            cancelLabel="Go back"
            tone="danger"
            onConfirm={() => void confirm()}
          />
        )}
      </CardContent>
    </Card>
  );
}
