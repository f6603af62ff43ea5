"use client";

import { useState, type ReactNode } from "react";
import { useMutation, useQuery } from "convex/react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";
import { FieldError, Label } from "@/components/ui/input";
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
