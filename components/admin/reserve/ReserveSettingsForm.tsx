"use client";

import { useId, useState } from "react";
import { useMutation } from "convex/react";
import { format } from "date-fns";
import { Save } from "lucide-react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FieldError, Input, Label } from "@/components/ui/input";
import { ReasonDialog } from "@/components/ui/reason-dialog";
import { MoneyField } from "@/components/ui/text-fields";
import { userMessage } from "@/lib/errors";
import {
  centsToDecimalString,
  formatBps,
  formatMoney,
  parsePercentToBps,
  parseSignedMoney,
  tryParseMoneyInput,
} from "@/lib/money";
import { RESERVE_RULES } from "@/lib/reserve";
import type { Overview } from "./types";

// The reserve settings (minimum, warning margin, expected difference), changed with a reason.
export function ReserveSettingsForm({ settings }: { settings: Overview["settings"] }) {
  const save = useMutation(api.ops.setReserveSettings);
  const marginId = useId();
  const marginErrorId = useId();
  const marginHintId = useId();
  const [minimum, setMinimum] = useState(centsToDecimalString(settings.minimumReserveCents));
  const [margin, setMargin] = useState(formatBps(settings.warningMarginBps).replace(/%$/, ""));
  const [expected, setExpected] = useState(centsToDecimalString(settings.expectedDifferenceCents));
  const [touched, setTouched] = useState(false);

  const minimumParsed = tryParseMoneyInput(minimum, {
    allowZero: true,
    maxCents: RESERVE_RULES.maxMinimumReserveCents,
  });
  const marginBps = parsePercentToBps(margin);
  const marginProblem =
    marginBps === null
      ? "Enter a percentage like 20 or 12.5."
      : marginBps > RESERVE_RULES.maxWarningMarginBps
        ? "The warning margin can be at most 1000%."
        : null;
  const expectedParsed = parseSignedMoney(expected, { maxCents: RESERVE_RULES.maxMinimumReserveCents });
  const valid = minimumParsed.ok && marginProblem === null && expectedParsed.ok;
  const next = valid
    ? {
        minimumReserveCents: minimumParsed.cents,
        warningMarginBps: marginBps!,
        expectedDifferenceCents: expectedParsed.cents,
      }
    : null;
  const changed =
    next !== null &&
    (next.minimumReserveCents !== settings.minimumReserveCents ||
      next.warningMarginBps !== settings.warningMarginBps ||
      next.expectedDifferenceCents !== settings.expectedDifferenceCents);

  const onConfirm = async (reason: string): Promise<string | null> => {
    if (next === null) return "Fix the fields first.";
    try {
      await save({ ...next, reason });
      toast.success("Reserve settings saved.");
      return null;
    } catch (e) {
      return userMessage(e);
    }
  };

  const changes: string[] = [];
  if (next !== null) {
    if (next.minimumReserveCents !== settings.minimumReserveCents)
      changes.push(
        `minimum reserve ${formatMoney(settings.minimumReserveCents)} → ${formatMoney(next.minimumReserveCents)}`,
      );
    if (next.warningMarginBps !== settings.warningMarginBps)
      changes.push(`warning margin ${formatBps(settings.warningMarginBps)} → ${formatBps(next.warningMarginBps)}`);
    if (next.expectedDifferenceCents !== settings.expectedDifferenceCents)
      changes.push(
        `expected difference ${formatMoney(settings.expectedDifferenceCents)} → ${formatMoney(next.expectedDifferenceCents)}`,
      );
  }

  return (
    <Card data-testid="reserve-settings">
      <CardHeader>
        <CardTitle>Settings</CardTitle>
        <CardDescription>
          Minimum reserve: below it the status is critical. Warning margin: the status is a warning while the reserve is
          less than this much above the minimum. Expected difference: the known gap between the processor&apos;s balance
          and the ledger (e.g. an opening balance), taken off before drift is measured.
          {settings.updatedAt !== null
            ? ` Last changed ${format(settings.updatedAt, "d MMM yyyy, HH:mm")}.`
            : " Not changed yet (defaults)."}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="flex flex-col gap-4"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            setTouched(true);
          }}
          onBlur={() => setTouched(true)}
        >
          <div className="grid gap-4 sm:grid-cols-3">
            <MoneyField
              label="Minimum reserve"
              value={minimum}
              onChange={setMinimum}
              problem={minimumParsed.ok ? null : minimumParsed.error}
              showProblem={touched}
              widthClassName="w-full"
              testId="reserve-minimum-input"
            />
            <div className="flex flex-col gap-1.5">
              <Label htmlFor={marginId}>Warning margin</Label>
              <div className="relative w-full">
                <Input
                  id={marginId}
                  inputMode="decimal"
                  autoComplete="off"
                  value={margin}
                  onChange={(e) => setMargin(e.target.value)}
                  aria-invalid={touched && marginProblem !== null}
                  aria-describedby={
                    touched && marginProblem !== null ? `${marginErrorId} ${marginHintId}` : marginHintId
                  }
                  className="pr-8 tabular-nums"
                  data-testid="reserve-margin-input"
                />
                <span
                  className="pointer-events-none absolute right-3 top-1/2 -translate-y-1/2 text-sm text-slate-500"
                  aria-hidden="true"
                >
                  %
                </span>
              </div>
              <p id={marginHintId} className="text-xs text-slate-500">
                Percent above the minimum (default 20).
              </p>
              <FieldError id={marginErrorId}>
                {touched && marginProblem !== null ? marginProblem : undefined}
              </FieldError>
            </div>
            <SignedMoneyField
              label="Expected difference"
              value={expected}
              onChange={setExpected}
              problem={expectedParsed.ok ? null : expectedParsed.error}
              showProblem={touched}
            />
          </div>
          <div className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-end">
            {!changed && valid ? <p className="text-sm text-slate-500">Change a value to save.</p> : null}
            <ReasonDialog
              trigger={
                <Button type="button" disabled={!changed} data-testid="reserve-settings-save">
                  <Save aria-hidden="true" /> Save settings
                </Button>
              }
              title="Change the reserve settings?"
              description={
                <>
                  {changes.length > 0 ? `You are changing the ${changes.join("; the ")}.` : "Nothing changes."} The
                  change is written to the audit log with your reason.
                </>
              }
              label="Reason (for the audit log)"
              confirmLabel="Save settings"
              tone="primary"
              onConfirm={onConfirm}
              inputTestId="reserve-settings-reason"
              submitTestId="reserve-settings-confirm"
            />
          </div>
        </form>
      </CardContent>
    </Card>
  );
}

function SignedMoneyField({
  label,
  value,
  onChange,
  problem,
  showProblem,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  problem: string | null;
  showProblem: boolean;
}) {
  const id = useId();
  const errorId = useId();
  const hintId = useId();
  const visible = showProblem && problem !== null;
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        inputMode="decimal"
        autoComplete="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={visible}
        aria-describedby={visible ? `${errorId} ${hintId}` : hintId}
        className="tabular-nums"
        data-testid="reserve-expected-input"
      />
      <p id={hintId} className="text-xs text-slate-500">
        Processor minus ledger, in dollars; may be negative.
      </p>
      <FieldError id={errorId}>{visible ? problem : undefined}</FieldError>
    </div>
  );
}
