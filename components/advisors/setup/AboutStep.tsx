"use client";

import { useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { Input } from "@/components/ui/input";
import { PROFILE_LIMITS } from "@/lib/advisors/rules";
import { aboutSchema } from "@/lib/schemas/advisorProfile";
import { type Mine, StepActions, Field, describedBy, useSave, ServerError } from "./shared";

export function AboutStep({ mine, onDone }: { mine: Mine; onDone: () => void }) {
  const { save, saving, error } = useSave();
  const form = useForm<z.input<typeof aboutSchema>, unknown, z.output<typeof aboutSchema>>({
    resolver: zodResolver(aboutSchema),
    defaultValues: { displayName: mine.displayName, headline: mine.headline, bio: mine.bio },
  });
  const e = form.formState.errors;
  const bioLength = useWatch({ control: form.control, name: "bio" })?.length ?? 0;
  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={(ev) => void form.handleSubmit((values) => save({ step: 0, ...values }, onDone))(ev)}
    >
      <Field id="displayName" label="Display name" hint="The name clients see." error={e.displayName?.message}>
        <Input
          id="displayName"
          aria-invalid={e.displayName ? true : undefined}
          aria-describedby={describedBy("displayName")}
          {...form.register("displayName")}
        />
      </Field>
      <Field
        id="headline"
        label="Headline"
        hint={`One line about what you help with (${PROFILE_LIMITS.headline.min}–${PROFILE_LIMITS.headline.max} characters).`}
        error={e.headline?.message}
      >
        <Input
          id="headline"
          aria-invalid={e.headline ? true : undefined}
          aria-describedby={describedBy("headline")}
          {...form.register("headline")}
        />
      </Field>
      <Field
        id="bio"
        label="Bio"
        hint={`${bioLength} / ${PROFILE_LIMITS.bio.max} characters (at least ${PROFILE_LIMITS.bio.min}).`}
        error={e.bio?.message}
      >
        <textarea
          id="bio"
          rows={6}
          className="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus-visible:border-brand-500 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500/30 aria-[invalid=true]:border-red-500"
          aria-invalid={e.bio ? true : undefined}
          aria-describedby={describedBy("bio")}
          {...form.register("bio")}
        />
      </Field>
      <ServerError error={error} />
      <StepActions saving={saving} />
    </form>
  );
}
