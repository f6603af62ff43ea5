"use client";

import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { FieldError, Input } from "@/components/ui/input";
import { CATEGORIES } from "@/lib/categories";
import { PROFILE_LIMITS } from "@/lib/advisors/rules";
import { expertiseFormSchema, splitList } from "@/lib/schemas/advisorProfile";
import { type Mine, StepActions, Field, describedBy, useSave, ServerError } from "./shared";

export function ExpertiseStep({ mine, onDone, onBack }: { mine: Mine; onDone: () => void; onBack: () => void }) {
  const { save, saving, error } = useSave();
  const form = useForm<z.input<typeof expertiseFormSchema>, unknown, z.output<typeof expertiseFormSchema>>({
    resolver: zodResolver(expertiseFormSchema),
    defaultValues: {
      categories: mine.categories,
      tagsText: mine.tags.join(", "),
      languagesText: mine.languages.join(", "),
      yearsExperience: mine.yearsExperience,
    },
  });
  const e = form.formState.errors;
  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={(ev) =>
        void form.handleSubmit((values) =>
          save(
            {
              step: 1,
              categories: values.categories,
              tags: splitList(values.tagsText),
              languages: splitList(values.languagesText),
              yearsExperience: values.yearsExperience,
            },
            onDone,
          ),
        )(ev)
      }
    >
      <fieldset className="flex flex-col gap-2" aria-describedby="categories-hint categories-error">
        <legend className="text-sm font-medium text-slate-800">Categories</legend>
        <p id="categories-hint" className="text-xs text-slate-500">
          Pick 1 to {PROFILE_LIMITS.categories.max}.
        </p>
        <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
          {CATEGORIES.map((c) => (
            <label
              key={c.slug}
              className="flex cursor-pointer items-center gap-2 rounded-lg border border-slate-200 px-3 py-2 text-sm has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50"
            >
              <input
                type="checkbox"
                value={c.slug}
                className="size-4 accent-brand-600"
                {...form.register("categories")}
              />
              {c.label}
            </label>
          ))}
        </div>
        <FieldError id="categories-error">{e.categories?.message ?? e.categories?.root?.message}</FieldError>
      </fieldset>
      <Field
        id="tagsText"
        label="Tags"
        hint={`Comma separated, up to ${PROFILE_LIMITS.tags.max} (e.g. love, clarity). Clients can search them.`}
        error={e.tagsText?.message}
      >
        <Input id="tagsText" aria-describedby={describedBy("tagsText")} {...form.register("tagsText")} />
      </Field>
      <Field
        id="languagesText"
        label="Languages"
        hint="Comma separated (e.g. English, Spanish)."
        error={e.languagesText?.message}
      >
        <Input id="languagesText" aria-describedby={describedBy("languagesText")} {...form.register("languagesText")} />
      </Field>
      <Field id="yearsExperience" label="Years of experience" error={e.yearsExperience?.message}>
        <Input
          id="yearsExperience"
          type="number"
          inputMode="numeric"
          min={0}
          max={60}
          className="max-w-32"
          aria-invalid={e.yearsExperience ? true : undefined}
          aria-describedby={describedBy("yearsExperience", false)}
          {...form.register("yearsExperience")}
        />
      </Field>
      <ServerError error={error} />
      <StepActions onBack={onBack} saving={saving} />
    </form>
  );
}
