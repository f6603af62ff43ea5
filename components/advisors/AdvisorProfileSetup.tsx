"use client";

import { useRef, useState, type ReactNode } from "react";
import Link from "next/link";
import { useMutation, useQuery } from "convex/react";
import { documentHref } from "@/lib/uploads";
import { useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { Check, CircleAlert, Clock, FileText, ImageUp, Send, Trash2 } from "lucide-react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FieldError, Input, Label } from "@/components/ui/input";
import { Badge } from "@/components/ui/badge";
import { Avatar } from "@/components/ui/avatar";
import { LoadingRows } from "@/components/ui/misc";
import { PayoutAccountCard, PayoutStatusLine } from "@/components/advisors/PayoutAccountCard";
import { CATEGORIES, categoryLabel } from "@/lib/categories";
import { centsToDecimalString, formatBps } from "@/lib/money";
import { formatRate } from "@/lib/format";
import { userMessage } from "@/lib/errors";
import { cn } from "@/lib/cn";
import {
  DOCUMENT_MAX_BYTES,
  DOCUMENT_TYPES,
  ONBOARDING_STEPS,
  PHOTO_MAX_BYTES,
  PROFILE_LIMITS,
  RATE_RANGE_TEXT,
} from "@/lib/advisors/rules";
import { aboutSchema, expertiseFormSchema, ratesFormSchema, splitList } from "@/lib/schemas/advisorProfile";

type Mine = NonNullable<ReturnType<typeof useMyProfile>>;
function useMyProfile() {
  return useQuery(api.advisorApplications.myProfile);
}

const STATUS_TEXT = {
  draft: { tone: "neutral", label: "Draft" },
  submitted: { tone: "warning", label: "Under review" },
  approved: { tone: "success", label: "Approved" },
  rejected: { tone: "danger", label: "Changes needed" },
  suspended: { tone: "danger", label: "Suspended" },
} as const;

export function AdvisorProfileSetup() {
  const mine = useMyProfile();
  const start = useMutation(api.advisorApplications.start);
  const [step, setStep] = useState<number | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const current = step ?? (mine ? Math.min(mine.onboardingStep, ONBOARDING_STEPS.length - 1) : 0);
  const goTo = (next: number) => {
    setStep(next);
    requestAnimationFrame(() => headingRef.current?.focus());
  };

  if (mine === undefined) return <LoadingRows rows={4} label="Loading your profile" />;
  if (mine === null) {
    return (
      <Card>
        <CardHeader>
          <CardTitle>Become an advisor</CardTitle>
          <CardDescription>
            Tell clients what you know, set your per-minute rates, and go live once an admin has approved your profile. It takes about
            five minutes; your progress is saved after every step.
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-3">
          <Button
            className="self-start"
            disabled={starting}
            onClick={() => {
              setStarting(true);
              setError(null);
              start({})
                .catch((e: unknown) => setError(userMessage(e)))
                .finally(() => setStarting(false));
            }}
          >
            {starting ? "Starting…" : "Start your application"}
          </Button>
          {error ? <p role="alert" className="text-sm text-red-600">{error}</p> : null}
        </CardContent>
      </Card>
    );
  }

  const editable = mine.status !== "submitted" && mine.status !== "suspended";
  return (
    <div className="flex flex-col gap-6">
      <StatusBanner mine={mine} />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[220px_minmax(0,1fr)]">
        <nav aria-label="Onboarding steps" className="-mx-4 min-w-0 overflow-x-auto px-4 lg:mx-0 lg:px-0">
          <ol className="flex gap-2 lg:flex-col">
            {ONBOARDING_STEPS.map((s, i) => {
              const done = i < mine.onboardingStep;
              const active = i === current;
              return (
                <li key={s.key} className="shrink-0">
                  <button
                    type="button"
                    onClick={() => goTo(i)}
                    aria-current={active ? "step" : undefined}
                    className={cn(
                      "flex w-full items-center gap-2 rounded-lg px-3 py-2 text-left text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500",
                      active ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100",
                    )}
                  >
                    <span
                      className={cn(
                        "flex size-6 items-center justify-center rounded-full border text-xs",
                        done ? "border-emerald-500 bg-emerald-500 text-white" : active ? "border-brand-600 text-brand-700" : "border-slate-300",
                      )}
                      aria-hidden="true"
                    >
                      {done ? <Check className="size-3.5" /> : i + 1}
                    </span>
                    {s.title}
                    <span className="sr-only">{done ? " (saved)" : ""}</span>
                  </button>
                </li>
              );
            })}
          </ol>
          <p className="mt-2 hidden text-xs text-slate-500 lg:block" data-testid="onboarding-progress">
            {Math.min(mine.onboardingStep, ONBOARDING_STEPS.length)} of {ONBOARDING_STEPS.length} steps saved
          </p>
        </nav>
        <Card>
          <CardHeader>
            <p className="text-xs font-medium uppercase tracking-wide text-slate-500">
              Step {current + 1} of {ONBOARDING_STEPS.length}
            </p>
            <h2 ref={headingRef} tabIndex={-1} className="text-lg font-semibold text-slate-900 outline-none">
              {ONBOARDING_STEPS[current]!.title}
            </h2>
          </CardHeader>
          <CardContent>
            {!editable && current < ONBOARDING_STEPS.length - 1 ? (
              <p className="mb-4 rounded-lg bg-amber-50 p-3 text-sm text-amber-900">
                {mine.status === "submitted" ? "Your application is under review; you can edit it again once it has been reviewed." : "Your profile is suspended and cannot be edited."}
              </p>
            ) : null}
            <fieldset disabled={!editable} className="contents">
              {current === 0 ? <AboutStep mine={mine} onDone={() => goTo(1)} /> : null}
              {current === 1 ? <ExpertiseStep mine={mine} onDone={() => goTo(2)} onBack={() => goTo(0)} /> : null}
              {current === 2 ? <PhotoStep mine={mine} onDone={() => goTo(3)} onBack={() => goTo(1)} /> : null}
              {current === 3 ? <RatesStep mine={mine} onDone={() => goTo(4)} onBack={() => goTo(2)} /> : null}
              {current === 4 ? <DocumentStep mine={mine} onDone={() => goTo(5)} onBack={() => goTo(3)} /> : null}
            </fieldset>
            {current === 5 ? <ReviewStep mine={mine} onBack={() => goTo(4)} onEdit={goTo} /> : null}
          </CardContent>
        </Card>
      </div>
    </div>
  );
}

function StatusBanner({ mine }: { mine: Mine }) {
  const s = STATUS_TEXT[mine.status];
  return (
    <Card>
      <CardContent className="flex flex-col gap-3 pt-5 sm:flex-row sm:items-center sm:justify-between">
        <div className="flex items-center gap-3">
          <Avatar name={mine.displayName || "You"} src={mine.avatarUrl} size={48} />
          <div>
            <p className="font-semibold text-slate-900">{mine.displayName || "Your profile"}</p>
            <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
              Status: <Badge tone={s.tone} data-testid="profile-status">{s.label}</Badge>
              {mine.status === "approved" ? <span>Platform fee {formatBps(mine.feeBps)}</span> : null}
            </p>
          </div>
        </div>
        {mine.status === "approved" ? null : <PayoutStatusLine />}
      </CardContent>
      {mine.status === "approved" ? (
        <CardContent>
          <PayoutAccountCard />
        </CardContent>
      ) : null}
      {mine.statusReason && (mine.status === "rejected" || mine.status === "suspended") ? (
        <CardContent>
          <div role="status" className="flex gap-2 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800" data-testid="status-reason">
            <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
            <div>
              <p className="font-medium">{mine.status === "rejected" ? "Your application needs changes" : "Your profile is suspended"}</p>
              <p>{mine.statusReason}</p>
              {mine.status === "rejected" ? <p className="mt-1">Update your profile and submit it again from the last step.</p> : null}
            </div>
          </div>
        </CardContent>
      ) : null}
      {mine.status === "submitted" ? (
        <CardContent>
          <p className="flex items-center gap-2 text-sm text-slate-600">
            <Clock className="size-4 text-amber-600" aria-hidden="true" /> Thanks! An admin is reviewing your application. You will be listed once it is approved.
          </p>
        </CardContent>
      ) : null}
    </Card>
  );
}

function StepActions({ onBack, saving, label = "Save and continue" }: { onBack?: () => void; saving: boolean; label?: string }) {
  return (
    <div className="flex flex-col-reverse gap-2 pt-2 sm:flex-row sm:justify-between">
      {onBack ? (
        <Button type="button" variant="secondary" onClick={onBack}>
          Back
        </Button>
      ) : (
        <span />
      )}
      <Button type="submit" disabled={saving}>
        {saving ? "Saving…" : label}
      </Button>
    </div>
  );
}

function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: ReactNode; error?: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children}
      {hint ? <p id={`${id}-hint`} className="text-xs text-slate-500">{hint}</p> : null}
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </div>
  );
}

const describedBy = (id: string, hint = true) => `${hint ? `${id}-hint ` : ""}${id}-error`;

function useSave() {
  const saveStep = useMutation(api.advisorApplications.saveStep);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function save(args: Parameters<typeof saveStep>[0], onDone: () => void) {
    setSaving(true);
    setError(null);
    try {
      await saveStep(args);
      onDone();
    } catch (e) {
      setError(userMessage(e));
    } finally {
      setSaving(false);
    }
  }
  return { save, saving, error };
}

function ServerError({ error }: { error: string | null }) {
  return error ? (
    <p role="alert" className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800">
      {error}
    </p>
  ) : null;
}

function AboutStep({ mine, onDone }: { mine: Mine; onDone: () => void }) {
  const { save, saving, error } = useSave();
  const form = useForm<z.input<typeof aboutSchema>, unknown, z.output<typeof aboutSchema>>({
    resolver: zodResolver(aboutSchema),
    defaultValues: { displayName: mine.displayName, headline: mine.headline, bio: mine.bio },
  });
  const e = form.formState.errors;
  const bioLength = useWatch({ control: form.control, name: "bio" })?.length ?? 0;
  return (
    <form noValidate className="flex flex-col gap-4" onSubmit={(ev) => void form.handleSubmit((values) => save({ step: 0, ...values }, onDone))(ev)}>
      <Field id="displayName" label="Display name" hint="The name clients see." error={e.displayName?.message}>
        <Input id="displayName" aria-invalid={e.displayName ? true : undefined} aria-describedby={describedBy("displayName")} {...form.register("displayName")} />
      </Field>
      <Field id="headline" label="Headline" hint={`One line about what you help with (${PROFILE_LIMITS.headline.min}–${PROFILE_LIMITS.headline.max} characters).`} error={e.headline?.message}>
        <Input id="headline" aria-invalid={e.headline ? true : undefined} aria-describedby={describedBy("headline")} {...form.register("headline")} />
      </Field>
      <Field id="bio" label="Bio" hint={`${bioLength} / ${PROFILE_LIMITS.bio.max} characters (at least ${PROFILE_LIMITS.bio.min}).`} error={e.bio?.message}>
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

function ExpertiseStep({ mine, onDone, onBack }: { mine: Mine; onDone: () => void; onBack: () => void }) {
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
            { step: 1, categories: values.categories, tags: splitList(values.tagsText), languages: splitList(values.languagesText), yearsExperience: values.yearsExperience },
            onDone,
          ),
        )(ev)
      }
    >
      <fieldset className="flex flex-col gap-2" aria-describedby="categories-hint categories-error">
        <legend className="text-sm font-medium text-slate-800">Categories</legend>
        <p id="categories-hint" className="text-xs text-slate-500">Pick 1 to {PROFILE_LIMITS.categories.max}.</p>
        <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
          {CATEGORIES.map((c) => (
            <label key={c.slug} className="flex cursor-pointer items-center gap-2 rounded-lg border border-slate-200 px-3 py-2 text-sm has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50">
              <input type="checkbox" value={c.slug} className="size-4 accent-brand-600" {...form.register("categories")} />
              {c.label}
            </label>
          ))}
        </div>
        <FieldError id="categories-error">{e.categories?.message ?? e.categories?.root?.message}</FieldError>
      </fieldset>
      <Field id="tagsText" label="Tags" hint={`Comma separated, up to ${PROFILE_LIMITS.tags.max} (e.g. love, clarity). Clients can search them.`} error={e.tagsText?.message}>
        <Input id="tagsText" aria-describedby={describedBy("tagsText")} {...form.register("tagsText")} />
      </Field>
      <Field id="languagesText" label="Languages" hint="Comma separated (e.g. English, Spanish)." error={e.languagesText?.message}>
        <Input id="languagesText" aria-describedby={describedBy("languagesText")} {...form.register("languagesText")} />
      </Field>
      <Field id="yearsExperience" label="Years of experience" error={e.yearsExperience?.message}>
        <Input id="yearsExperience" type="number" inputMode="numeric" min={0} max={60} className="max-w-32" aria-invalid={e.yearsExperience ? true : undefined} aria-describedby={describedBy("yearsExperience", false)} {...form.register("yearsExperience")} />
      </Field>
      <ServerError error={error} />
      <StepActions onBack={onBack} saving={saving} />
    </form>
  );
}

async function uploadFile(uploadUrl: string, file: File): Promise<Id<"_storage">> {
  const response = await fetch(uploadUrl, { method: "POST", headers: { "Content-Type": file.type || "application/octet-stream" }, body: file });
  if (!response.ok) throw new Error("upload failed");
  const { storageId } = (await response.json()) as { storageId: Id<"_storage"> };
  return storageId;
}

function PhotoStep({ mine, onDone, onBack }: { mine: Mine; onDone: () => void; onBack: () => void }) {
  const generateUploadUrl = useMutation(api.advisorApplications.generateUploadUrl);
  const attachPhoto = useMutation(api.advisorApplications.attachPhoto);
  const { save, saving } = useSave();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function onFile(file: File | undefined) {
    if (!file) return;
    setMessage(null);
    // Quick checks here; the server checks the stored file's type and size again.
    if (!file.type.startsWith("image/")) return setMessage({ ok: false, text: "The photo must be an image (JPEG, PNG, WebP or GIF)." });
    if (file.size > PHOTO_MAX_BYTES) return setMessage({ ok: false, text: "The photo is too large: the limit is 5 MB." });
    setBusy(true);
    try {
      const storageId = await uploadFile(await generateUploadUrl({ purpose: "photo" }), file);
      const result = await attachPhoto({ storageId });
      setMessage(result.ok ? { ok: true, text: "Photo saved." } : { ok: false, text: result.message });
    } catch (e) {
      setMessage({ ok: false, text: e instanceof Error && e.message === "upload failed" ? "The upload failed. Please try again." : userMessage(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form noValidate className="flex flex-col gap-4" onSubmit={(ev) => { ev.preventDefault(); void save({ step: 2 }, onDone); }}>
      <div className="flex flex-col items-start gap-4 sm:flex-row sm:items-center">
        <div className="size-32 overflow-hidden rounded-xl border border-slate-200 bg-slate-100" data-testid="photo-preview">
          {mine.avatarUrl ? (
            // eslint-disable-next-line @next/next/no-img-element -- Convex storage URL
            <img src={mine.avatarUrl} alt="Your profile photo" className="size-full object-cover" />
          ) : (
            <div className="flex size-full items-center justify-center text-slate-400">
              <ImageUp className="size-8" aria-hidden="true" />
              <span className="sr-only">No photo yet</span>
            </div>
          )}
        </div>
        <div className="flex flex-col gap-2">
          <Label htmlFor="photo">Profile photo</Label>
          <input
            id="photo"
            type="file"
            accept="image/*"
            disabled={busy}
            aria-describedby="photo-hint"
            className="text-sm file:mr-3 file:rounded-lg file:border-0 file:bg-brand-50 file:px-3 file:py-2 file:font-medium file:text-brand-700"
            onChange={(ev) => { void onFile(ev.target.files?.[0]); ev.target.value = ""; }}
          />
          <p id="photo-hint" className="text-xs text-slate-500">An image up to 5 MB. It is shown cropped to a square. Optional, but profiles with a photo get more sessions.</p>
          {busy ? <p role="status" className="text-sm text-slate-600">Uploading…</p> : null}
          {message ? (
            <p role={message.ok ? "status" : "alert"} className={cn("text-sm", message.ok ? "text-emerald-700" : "text-red-600")}>
              {message.text}
            </p>
          ) : null}
        </div>
      </div>
      <StepActions onBack={onBack} saving={saving || busy} label="Continue" />
    </form>
  );
}

function RatesStep({ mine, onDone, onBack }: { mine: Mine; onDone: () => void; onBack: () => void }) {
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
    <form noValidate className="flex flex-col gap-4" onSubmit={(ev) => void form.handleSubmit((values) => save({ step: 3, ...values }, onDone))(ev)}>
      <p className="text-sm text-slate-600">
        Per-minute rates in US dollars, each between {RATE_RANGE_TEXT}. Clients are billed by the second; the platform fee is taken from each session. New rates apply to new sessions only.
      </p>
      <Field id="chatRate" label="Chat rate ($ per minute)" error={e.chatRate?.message}>
        <div className="relative max-w-40">
          <span className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-sm text-slate-500" aria-hidden="true">$</span>
          <Input id="chatRate" inputMode="decimal" placeholder="1.99" className="pl-7" aria-invalid={e.chatRate ? true : undefined} aria-describedby={describedBy("chatRate", false)} {...form.register("chatRate")} />
        </div>
      </Field>
      <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
        <input type="checkbox" className="size-4 accent-brand-600" {...form.register("videoEnabled")} /> Offer video sessions
      </label>
      {videoEnabled ? (
        <Field id="videoRate" label="Video rate ($ per minute)" error={e.videoRate?.message}>
          <div className="relative max-w-40">
            <span className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-sm text-slate-500" aria-hidden="true">$</span>
            <Input id="videoRate" inputMode="decimal" placeholder="2.99" className="pl-7" aria-invalid={e.videoRate ? true : undefined} aria-describedby={describedBy("videoRate", false)} {...form.register("videoRate")} />
          </div>
        </Field>
      ) : null}
      <ServerError error={error} />
      <StepActions onBack={onBack} saving={saving} />
    </form>
  );
}

function DocumentStep({ mine, onDone, onBack }: { mine: Mine; onDone: () => void; onBack: () => void }) {
  const generateUploadUrl = useMutation(api.advisorApplications.generateUploadUrl);
  const attachDocument = useMutation(api.advisorApplications.attachDocument);
  const removeDocument = useMutation(api.advisorApplications.removeDocument);
  const { save, saving } = useSave();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function onFile(file: File | undefined) {
    if (!file) return;
    setMessage(null);
    if (!(DOCUMENT_TYPES as readonly string[]).includes(file.type)) return setMessage({ ok: false, text: "The document must be a PDF or an image (PNG, JPEG, WebP)." });
    if (file.size > DOCUMENT_MAX_BYTES) return setMessage({ ok: false, text: "The document is too large: the limit is 10 MB." });
    setBusy(true);
    try {
      const storageId = await uploadFile(await generateUploadUrl({ purpose: "document" }), file);
      const result = await attachDocument({ storageId, fileName: file.name });
      setMessage(result.ok ? { ok: true, text: "Document uploaded." } : { ok: false, text: result.message });
    } catch (e) {
      setMessage({ ok: false, text: e instanceof Error && e.message === "upload failed" ? "The upload failed. Please try again." : userMessage(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={(ev) => {
        ev.preventDefault();
        if (mine.documents.length === 0) return setMessage({ ok: false, text: "Upload a verification document to continue." });
        void save({ step: 4 }, onDone);
      }}
    >
      <p className="text-sm text-slate-600">
        Upload an ID or a professional certificate (PDF or image, up to 10 MB). It is private: only you and the review team can open it.
      </p>
      <div className="flex flex-col gap-2">
        <Label htmlFor="document">Verification document</Label>
        <input
          id="document"
          type="file"
          accept={DOCUMENT_TYPES.join(",")}
          disabled={busy}
          className="text-sm file:mr-3 file:rounded-lg file:border-0 file:bg-brand-50 file:px-3 file:py-2 file:font-medium file:text-brand-700"
          onChange={(ev) => { void onFile(ev.target.files?.[0]); ev.target.value = ""; }}
        />
        {busy ? <p role="status" className="text-sm text-slate-600">Uploading…</p> : null}
        {message ? (
          <p role={message.ok ? "status" : "alert"} className={cn("text-sm", message.ok ? "text-emerald-700" : "text-red-600")}>{message.text}</p>
        ) : null}
      </div>
      {mine.documents.length > 0 ? (
        <ul className="flex flex-col divide-y divide-slate-100 rounded-lg border border-slate-200" aria-label="Your documents">
          {mine.documents.map((d) => (
            <li key={d._id} className="flex items-center justify-between gap-2 p-3 text-sm">
              <DocumentLink documentId={d._id} fileName={d.fileName} size={d.size} />
              <Button
                type="button"
                variant="ghost"
                size="sm"
                aria-label={`Remove ${d.fileName}`}
                onClick={() => void removeDocument({ documentId: d._id }).catch((e: unknown) => setMessage({ ok: false, text: userMessage(e) }))}
              >
                <Trash2 aria-hidden="true" />
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      <StepActions onBack={onBack} saving={saving || busy} label="Continue" />
    </form>
  );
}

/** Opens a private document through /api/documents/[id], which checks the viewer's role on each request. */
export function DocumentLink({ documentId, fileName, size }: { documentId: Id<"advisorDocuments">; fileName: string; size: number }) {
  return (
    <span className="flex min-w-0 items-center gap-2">
      <FileText className="size-4 shrink-0 text-slate-400" aria-hidden="true" />
      <a href={documentHref(documentId)} target="_blank" rel="noreferrer" className="truncate text-brand-700 underline-offset-4 hover:underline">
        {fileName}
      </a>
      <span className="shrink-0 text-xs text-slate-500">{Math.max(1, Math.round(size / 1024))} KB</span>
    </span>
  );
}

function ReviewStep({ mine, onBack, onEdit }: { mine: Mine; onBack: () => void; onEdit: (step: number) => void }) {
  const submit = useMutation(api.advisorApplications.submit);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const canSubmit = mine.status === "draft" || mine.status === "rejected";
  const rows: [string, ReactNode, number][] = [
    ["Display name", mine.displayName, 0],
    ["Headline", mine.headline || "—", 0],
    ["Bio", mine.bio ? `${mine.bio.slice(0, 140)}${mine.bio.length > 140 ? "…" : ""}` : "—", 0],
    ["Categories", mine.categories.map(categoryLabel).join(", ") || "—", 1],
    ["Tags", mine.tags.join(", ") || "—", 1],
    ["Languages", mine.languages.join(", ") || "—", 1],
    ["Experience", `${mine.yearsExperience} years`, 1],
    ["Photo", mine.hasUploadedPhoto ? "Uploaded" : "None", 2],
    ["Chat rate", mine.chatRateCentsPerMinute === null ? "Not set" : formatRate(mine.chatRateCentsPerMinute), 3],
    ["Video rate", mine.videoRateCentsPerMinute === null ? "Off" : formatRate(mine.videoRateCentsPerMinute), 3],
    ["Verification", mine.documents.length > 0 ? `${mine.documents.length} document(s)` : "Missing", 4],
  ];
  return (
    <div className="flex flex-col gap-4">
      <dl className="divide-y divide-slate-100 rounded-lg border border-slate-200 text-sm">
        {rows.map(([label, value, step]) => (
          <div key={label} className="flex flex-col gap-1 p-3 sm:flex-row sm:items-start sm:gap-4">
            <dt className="w-32 shrink-0 text-slate-500">{label}</dt>
            <dd className="min-w-0 flex-1 break-words text-slate-900">{value}</dd>
            {canSubmit ? (
              <Button type="button" variant="link" size="sm" className="h-auto self-start p-0" onClick={() => onEdit(step)} aria-label={`Edit ${label}`}>
                Edit
              </Button>
            ) : null}
          </div>
        ))}
      </dl>
      {error ? <ServerError error={error} /> : null}
      {done && mine.status === "submitted" ? <p role="status" className="text-sm text-emerald-700">Submitted. We will let you know here once it has been reviewed.</p> : null}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-between">
        <Button type="button" variant="secondary" onClick={onBack}>Back</Button>
        {canSubmit ? (
          <Button
            type="button"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              setError(null);
              submit({})
                .then(() => setDone(true))
                .catch((e: unknown) => setError(userMessage(e)))
                .finally(() => setBusy(false));
            }}
          >
            <Send aria-hidden="true" /> {busy ? "Submitting…" : "Submit for review"}
          </Button>
        ) : mine.status === "approved" ? (
          <Button asChild variant="secondary">
            <Link href={`/advisors/${mine._id}`}>View your public profile</Link>
          </Button>
        ) : null}
      </div>
    </div>
  );
}
