"use client";

import { useState } from "react";
import { useMutation } from "convex/react";
import { ImageUp } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Label } from "@/components/ui/input";
import { userMessage } from "@/lib/errors";
import { cn } from "@/lib/cn";
import { PHOTO_MAX_BYTES } from "@/lib/advisors/rules";
import { type Mine, StepActions, useSave, uploadFile } from "./shared";

export function PhotoStep({ mine, onDone, onBack }: { mine: Mine; onDone: () => void; onBack: () => void }) {
  const generateUploadUrl = useMutation(api.advisorApplications.generateUploadUrl);
  const attachPhoto = useMutation(api.advisorApplications.attachPhoto);
  const { save, saving } = useSave();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function onFile(file: File | undefined) {
    if (!file) return;
    setMessage(null);
    // Quick checks here; the server checks the stored file's type and size again.
    if (!file.type.startsWith("image/"))
      return setMessage({ ok: false, text: "The photo must be an image (JPEG, PNG, WebP or GIF)." });
    if (file.size > PHOTO_MAX_BYTES)
      return setMessage({ ok: false, text: "The photo is too large: the limit is 5 MB." });
    setBusy(true);
    try {
      const storageId = await uploadFile(await generateUploadUrl({ purpose: "photo" }), file);
      const result = await attachPhoto({ storageId });
      setMessage(result.ok ? { ok: true, text: "Photo saved." } : { ok: false, text: result.message });
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

  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={(ev) => {
        ev.preventDefault();
        void save({ step: 2 }, onDone);
      }}
    >
      <div className="flex flex-col items-start gap-4 sm:flex-row sm:items-center">
        <div
          className="size-32 overflow-hidden rounded-xl border border-slate-200 bg-slate-100"
          data-testid="photo-preview"
        >
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
            onChange={(ev) => {
              void onFile(ev.target.files?.[0]);
              ev.target.value = "";
            }}
          />
          <p id="photo-hint" className="text-xs text-slate-500">
            An image up to 5 MB. It is shown cropped to a square. Optional, but profiles with a photo get more sessions.
          </p>
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
        </div>
      </div>
      <StepActions onBack={onBack} saving={saving || busy} label="Continue" />
    </form>
  );
}
