"use client";

import { useState } from "react";
import { useMutation, useQuery } from "convex/react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input, Label } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/misc";
import { FormAlert } from "@/components/ui/text-fields";
import { userMessage } from "@/lib/errors";
import { formatMoney, tryParseMoneyInput } from "@/lib/money";
import { offlinePriceProblem } from "@/lib/offlineMessages";

/** The advisor's flat price for an offline reply ($1.00–$50.00), or off. */
export function OfflinePriceSettings() {
  const settings = useQuery(api.offlineMessages.mySettings, {});
  const setPrice = useMutation(api.offlineMessages.setPrice);
  const [draft, setDraft] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (settings === undefined) return <Skeleton className="h-32 w-full" />;
  const current = settings.priceCents;
  const text = draft ?? (current === null ? "5.00" : (current / 100).toFixed(2));
  const parsed = tryParseMoneyInput(text);
  const problem = parsed.ok ? offlinePriceProblem(parsed.cents) : "Enter a price like 5.00.";

  const save = async (priceCents: number | null) => {
    setBusy(true);
    setError(null);
    try {
      await setPrice({ priceCents });
      toast.success(
        priceCents === null ? "Offline messages are off." : `Offline replies cost ${formatMoney(priceCents)}.`,
      );
      setDraft(null);
    } catch (e) {
      setError(userMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card data-testid="offline-price-settings">
      <CardHeader>
        <CardTitle>Offline messages</CardTitle>
        <p className="text-sm text-slate-600">
          {current === null
            ? "Off: clients cannot send you paid messages while you are away."
            : `On at ${formatMoney(current)} a message. Reply within 48 hours to be paid; unanswered messages are refunded.`}
        </p>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="offline-price">Price per message ($1.00–$50.00)</Label>
          <Input
            id="offline-price"
            inputMode="decimal"
            className="max-w-40"
            value={text}
            onChange={(e) => setDraft(e.target.value)}
            aria-invalid={problem !== null}
            data-testid="offline-price-input"
          />
          {problem !== null ? <p className="text-xs text-red-700">{problem}</p> : null}
        </div>
        <FormAlert>{error}</FormAlert>
        <div className="flex flex-wrap gap-2">
          <Button
            disabled={busy || problem !== null || !parsed.ok}
            onClick={() => parsed.ok && void save(parsed.cents)}
            data-testid="offline-price-save"
          >
            {current === null ? "Turn on" : "Save price"}
          </Button>
          {current !== null ? (
            <Button variant="secondary" disabled={busy} onClick={() => void save(null)} data-testid="offline-price-off">
              Turn off
            </Button>
          ) : null}
        </div>
      </CardContent>
    </Card>
  );
}
