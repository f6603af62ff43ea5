"use client";

import { useMutation } from "convex/react";
import { documentHref } from "@/lib/uploads";
import { FileText, Trash2 } from "lucide-react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/input";
import { userMessage } from "@/lib/errors";
import { DOCUMENT_MAX_BYTES, DOCUMENT_TYPES } from "@/lib/advisors/rules";
import { type Mine, FilePicker, StepActions, UploadStatus, useSave, useUpload } from "./shared";

export function DocumentStep({ mine, onDone, onBack }: { mine: Mine; onDone: () => void; onBack: () => void }) {
  const attachDocument = useMutation(api.advisorApplications.attachDocument);
  const removeDocument = useMutation(api.advisorApplications.removeDocument);
  const { save, saving } = useSave();
  const { busy, message, setMessage, onFile } = useUpload({
    purpose: "document",
    check: (file) =>
      !(DOCUMENT_TYPES as readonly string[]).includes(file.type)
        ? "The document must be a PDF or an image (PNG, JPEG, WebP)."
        : file.size > DOCUMENT_MAX_BYTES
          ? "The document is too large: the limit is 10 MB."
          : null,
    attach: (storageId, file) => attachDocument({ storageId, fileName: file.name }),
    okText: "Document uploaded.",
  });

  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={(ev) => {
        ev.preventDefault();
        if (mine.documents.length === 0)
          return setMessage({ ok: false, text: "Upload a verification document to continue." });
        void save({ step: 4 }, onDone);
      }}
    >
      <p className="text-sm text-slate-600">
        Upload an ID or a professional certificate (PDF or image, up to 10 MB). It is private: only you and the review
        team can open it.
      </p>
      <div className="flex flex-col gap-2">
        <Label htmlFor="document">Verification document</Label>
        <FilePicker id="document" accept={DOCUMENT_TYPES.join(",")} busy={busy} onFile={onFile} />
        <UploadStatus busy={busy} message={message} />
      </div>
      {mine.documents.length > 0 ? (
        <ul
          className="flex flex-col divide-y divide-slate-100 rounded-lg border border-slate-200"
          aria-label="Your documents"
        >
          {mine.documents.map((d) => (
            <li key={d._id} className="flex items-center justify-between gap-2 p-3 text-sm">
              <DocumentLink documentId={d._id} fileName={d.fileName} size={d.size} />
              <Button
                type="button"
                variant="ghost"
                size="sm"
                aria-label={`Remove ${d.fileName}`}
                onClick={() =>
                  void removeDocument({ documentId: d._id }).catch((e: unknown) =>
                    setMessage({ ok: false, text: userMessage(e) }),
                  )
                }
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
export function DocumentLink({
  documentId,
  fileName,
  size,
}: {
  documentId: Id<"advisorDocuments">;
  fileName: string;
  size: number;
}) {
  return (
    <span className="flex min-w-0 items-center gap-2">
      <FileText className="size-4 shrink-0 text-slate-400" aria-hidden="true" />
      <a
        href={documentHref(documentId)}
        target="_blank"
        rel="noreferrer"
        className="truncate text-brand-700 underline-offset-4 hover:underline"
      >
        {fileName}
      </a>
      <span className="shrink-0 text-xs text-slate-500">{Math.max(1, Math.round(size / 1024))} KB</span>
    </span>
  );
}
