"use client";

import { useState, type ReactNode } from "react";
import { useMutation, useQuery } from "convex/react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";
import { FieldError, Label } from "@/components/ui/input";
import { cn } from "@/lib/cn";
import { userMessage } from "@/lib/errors";

// Shared by the onboarding wizard (AdvisorProfileSetup) and its steps.
export type Mine = NonNullable<ReturnType<typeof useMyProfile>>;
export function useMyProfile() {
  return useQuery(api.advisorApplications.myProfile);
}

export function StepActions({
  onBack,
  saving,
  label = "Save and continue",
}: {
  onBack?: () => void;
  saving: boolean;
  label?: string;
}) {
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

export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </div>
  );
}

export const describedBy = (id: string, hint = true) => `${hint ? `${id}-hint ` : ""}${id}-error`;

export function useSave() {
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

export function ServerError({ error }: { error: string | null }) {
  return error ? (
    <p role="alert" className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800">
      {error}
    </p>
  ) : null;
}

export async function uploadFile(uploadUrl: string, file: File): Promise<Id<"_storage">> {
  const response = await fetch(uploadUrl, {
    method: "POST",
    headers: { "Content-Type": file.type || "application/octet-stream" },
    body: file,
  });
  if (!response.ok) throw new Error("upload failed");
  const { storageId } = (await response.json()) as { storageId: Id<"_storage"> };
  return storageId;
}

type UploadMessage = { ok: boolean; text: string };

/**
 * One file upload of a wizard step (photo, document): quick checks in the browser (the server checks the stored
 * file again), upload to storage, then attach it to the application. Tracks busy and the message to show.
 */
export function useUpload({
  purpose,
  check,
  attach,
  okText,
}: {
  purpose: "photo" | "document";
  /** The problem with the file in words, or null. */
  check: (file: File) => string | null;
  attach: (storageId: Id<"_storage">, file: File) => Promise<{ ok: true } | { ok: false; message: string }>;
  okText: string;
}) {
  const generateUploadUrl = useMutation(api.advisorApplications.generateUploadUrl);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<UploadMessage | null>(null);

  async function onFile(file: File | undefined) {
    if (!file) return;
    setMessage(null);
    const problem = check(file);
    if (problem !== null) return setMessage({ ok: false, text: problem });
    setBusy(true);
    try {
      const storageId = await uploadFile(await generateUploadUrl({ purpose }), file);
      const result = await attach(storageId, file);
      setMessage(result.ok ? { ok: true, text: okText } : { ok: false, text: result.message });
    } catch (e) {
      setMessage({
        ok: false,
        text:
          e instanceof Error && e.message === "upload failed" ? "The upload failed. Please try again." : userMessage(e),
      });
    } finally {
      setBusy(false);
    }
  }
  return { busy, message, setMessage, onFile };
}

/** The file input of an upload step: one file at a time, the same file may be picked again. */
export function FilePicker({
  id,
  accept,
  busy,
  describedBy,
  onFile,
}: {
  id: string;
  accept: string;
  busy: boolean;
  describedBy?: string;
  onFile: (file: File | undefined) => Promise<void>;
}) {
  return (
    <input
      id={id}
      type="file"
      accept={accept}
      disabled={busy}
      aria-describedby={describedBy}
      className="text-sm file:mr-3 file:rounded-lg file:border-0 file:bg-brand-50 file:px-3 file:py-2 file:font-medium file:text-brand-700"
      onChange={(ev) => {
        void onFile(ev.target.files?.[0]);
        ev.target.value = "";
      }}
    />
  );
}

/** "Uploading…" while busy, then the outcome (status when it worked, alert when not). */
export function UploadStatus({ busy, message }: { busy: boolean; message: UploadMessage | null }) {
  return (
    <>
      {busy ? (
        <p role="status" className="text-sm text-slate-600">
          Uploading…
        </p>
      ) : null}
      {message ? (
        <p
          role={message.ok ? "status" : "alert"}
          className={cn("text-sm", message.ok ? "text-emerald-700" : "text-red-600")}
        >
          {message.text}
        </p>
      ) : null}
    </>
  );
}
