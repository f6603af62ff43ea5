"use client";

import { useForm, useWatch, type UseFormRegisterReturn } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { Input } from "@/components/ui/input";
import { centsToDecimalString } from "@/lib/money";
import { rateRangeText } from "@/lib/advisors/rules";
import { ratesFormSchema } from "@/lib/schemas/advisorProfile";
import { type Mine, StepActions, Field, describedBy, useSave, ServerError } from "./shared";

export function RatesStep({ mine, onDone, onBack }: { mine: Mine; onDone: () => void; onBack: () => void }) {
  const { save, saving, error } = useSave();
  const form = useForm<z.input<typeof ratesFormSchema>, unknown, z.output<typeof ratesFormSchema>>({
    resolver: zodResolver(ratesFormSchema),
    defaultValues: {
      chatRate: mine.chatRateCentsPerMinute === null ? "" : centsToDecimalString(mine.chatRateCentsPerMinute),
      videoEnabled: mine.videoRateCentsPerMinute !== null || mine.chatRateCentsPerMinute === null,
      videoRate: mine.videoRateCentsPerMinute === null ? "" : centsToDecimalString(mine.videoRateCentsPerMinute),
    },
  });
  const e = form.formState.errors;
  const videoEnabled = useWatch({ control: form.control, name: "videoEnabled" });
  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={(ev) => void form.handleSubmit((values) => save({ step: 3, ...values }, onDone))(ev)}
    >
      <p className="text-sm text-slate-600">
        Per-minute rates in US dollars, each between {rateRangeText()}. Clients are billed by the second; the platform
        fee is taken from each session. New rates apply to new sessions only.
      </p>
      <RateField
        id="chatRate"
        label="Chat rate ($ per minute)"
        placeholder="1.99"
        error={e.chatRate}
        registration={form.register("chatRate")}
      />
      <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
        <input type="checkbox" className="size-4 accent-brand-600" {...form.register("videoEnabled")} /> Offer video
        sessions
      </label>
      {videoEnabled ? (
        <RateField
          id="videoRate"
          label="Video rate ($ per minute)"
          placeholder="2.99"
          error={e.videoRate}
          registration={form.register("videoRate")}
        />
      ) : null}
      <ServerError error={error} />
      <StepActions onBack={onBack} saving={saving} />
    </form>
  );
}

/** A per-minute rate in dollars, with a "$" in front. */
function RateField({
  id,
  label,
  placeholder,
  error,
  registration,
}: {
  id: string;
  label: string;
  placeholder: string;
  error: { message?: string } | undefined;
  registration: UseFormRegisterReturn;
}) {
  return (
    <Field id={id} label={label} error={error?.message}>
      <div className="relative max-w-40">
        <span
          className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-sm text-slate-500"
          aria-hidden="true"
        >
          $
        </span>
        <Input
          id={id}
          inputMode="decimal"
          placeholder={placeholder}
          className="pl-7"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, false)}
          {...registration}
        />
      </div>
    </Field>
  );
}
