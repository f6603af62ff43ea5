"use client";

import { useMutation } from "convex/react";
import { ImageUp } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Label } from "@/components/ui/input";
import { PHOTO_MAX_BYTES } from "@/lib/advisors/rules";
import { type Mine, FilePicker, StepActions, UploadStatus, useSave, useUpload } from "./shared";

export function PhotoStep({ mine, onDone, onBack }: { mine: Mine; onDone: () => void; onBack: () => void }) {
  const attachPhoto = useMutation(api.advisorApplications.attachPhoto);
  const { save, saving } = useSave();
  const { busy, message, onFile } = useUpload({
    purpose: "photo",
    check: (file) =>
      !file.type.startsWith("image/")
        ? "The photo must be an image (JPEG, PNG, WebP or GIF)."
        : file.size > PHOTO_MAX_BYTES
          ? "The photo is too large: the limit is 5 MB."
          : null,
    attach: (storageId) => attachPhoto({ storageId }),
    okText: "Photo saved.",
  });

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
          <FilePicker id="photo" accept="image/*" busy={busy} describedBy="photo-hint" onFile={onFile} />
          <p id="photo-hint" className="text-xs text-slate-500">
            An image up to 5 MB. It is shown cropped to a square. Optional, but profiles with a photo get more sessions.
          </p>
          <UploadStatus busy={busy} message={message} />
        </div>
      </div>
      <StepActions onBack={onBack} saving={saving || busy} label="Continue" />
    </form>
  );
}
