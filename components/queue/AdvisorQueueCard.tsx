"use client";

import { useState } from "react";
import { useMutation, useQuery } from "convex/react";
import { Users } from "lucide-react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input, Label } from "@/components/ui/input";
import { userMessage } from "@/lib/errors";
import { QUEUE_RULES } from "@/lib/queue";
import { Countdown } from "./Countdown";

/** The advisor's queue on the dashboard: who waits in which order, the turn on offer, and the maximum length. */
export function AdvisorQueueCard() {
  const queue = useQuery(api.queue.forAdvisor);
  const setMax = useMutation(api.queue.setMax);
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  if (queue === undefined) return null;
  const value = draft ?? String(queue.maxLength);
  const onSave = async (e: React.FormEvent) => {
    e.preventDefault();
    setSaving(true);
    try {
      await setMax({ maxLength: Number(value) });
      setDraft(null);
      toast.success("Queue length saved.");
    } catch (error) {
      toast.error(userMessage(error));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card data-testid="advisor-queue">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Users className="size-5" aria-hidden="true" /> Your queue
        </CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-4 text-sm">
        <p className="text-slate-600">
          While you are busy, clients can wait in line. When you are online and free, the first one gets 60 seconds to
          start.
        </p>
        {queue.entries.length === 0 ? (
          <p className="text-slate-600" data-testid="advisor-queue-empty">
            Nobody is waiting.
          </p>
        ) : (
          <ol className="flex flex-col divide-y divide-slate-100" aria-label="Clients waiting">
            {queue.entries.map((e) => (
              <li key={e._id} className="flex items-center justify-between gap-2 py-2">
                <span>
                  {e.position}. {e.clientName} · {e.kind}
                </span>
                <span className="text-xs text-slate-500">
                  {e.status === "offered" && e.offerExpiresAt !== null ? (
                    <>
                      Turn on offer, <Countdown until={e.offerExpiresAt} /> left
                    </>
                  ) : (
                    `waiting since ${new Date(e.joinedAt).toLocaleTimeString()}`
                  )}
                </span>
              </li>
            ))}
          </ol>
        )}
        {queue.lastChange ? (
          <p className="text-xs text-slate-500" aria-live="polite">
            Last change: {queue.lastChange}
          </p>
        ) : null}
        <form className="flex flex-col gap-1.5" onSubmit={(e) => void onSave(e)}>
          <Label htmlFor="queue-max">Maximum queue length (0 turns the queue off)</Label>
          <div className="flex items-center gap-2">
            <Input
              id="queue-max"
              type="number"
              inputMode="numeric"
              min={0}
              max={QUEUE_RULES.maxMaxLength}
              step={1}
              className="w-24"
              value={value}
              onChange={(e) => setDraft(e.target.value)}
            />
            <Button type="submit" variant="secondary" disabled={saving || draft === null}>
              Save
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
