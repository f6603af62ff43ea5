"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { Dialog } from "radix-ui";
import { Button } from "./button";
import { FormAlert, TextareaField, lengthProblem } from "./text-fields";

/**
 * A dialog asking for a required reason (or note) before an action. `onConfirm` gets the trimmed text and resolves
 * with an error message to show (the dialog stays open) or null (it closes and resets). While it runs the dialog
 * cannot be closed. `extraFields` renders more fields above the reason (given whether to show their problems);
 * `blocked` keeps it from confirming while one of them is invalid.
 */
export function ReasonDialog({
  trigger,
  title,
  description,
  label,
  min = 3,
  max = 500,
  tooShort = `Give a reason of at least ${min} characters.`,
  tooLong = `Keep the reason to ${max} characters or fewer.`,
  showCounter = true,
  touchOnBlur = true,
  confirmLabel,
  tone = "danger",
  onConfirm,
  onOpen,
  extraFields,
  blocked = false,
  inputTestId = "reason-input",
  submitTestId = "reason-submit",
}: {
  trigger: ReactNode;
  title: string;
  description: ReactNode;
  label: string;
  min?: number;
  max?: number;
  tooShort?: string;
  tooLong?: string;
  /** "n/max" under the field, and the field refuses typing far past max. */
  showCounter?: boolean;
  /** Show the reason's problem once the field loses focus (otherwise only after a confirm attempt). */
  touchOnBlur?: boolean;
  confirmLabel: string;
  tone?: "primary" | "danger";
  onConfirm: (reason: string) => Promise<string | null>;
  onOpen?: () => void;
  extraFields?: (showProblems: boolean) => ReactNode;
  blocked?: boolean;
  inputTestId?: string;
  submitTestId?: string;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problem = lengthProblem(reason, { min, max, tooShort, tooLong });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (problem !== null || blocked) return;
    setBusy(true);
    setError(null);
    const failure = await onConfirm(reason.trim());
    setBusy(false);
    if (failure === null) {
      setOpen(false);
      setReason("");
      setTouched(false);
    } else setError(failure);
  };

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        if (busy) return;
        setOpen(next);
        if (next) onOpen?.();
        else setError(null);
      }}
    >
      <Dialog.Trigger asChild>{trigger}</Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-slate-900/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 w-[min(92vw,28rem)] -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-5 shadow-xl focus:outline-none">
          <Dialog.Title className="text-lg font-semibold text-slate-900">{title}</Dialog.Title>
          <Dialog.Description className="mt-2 text-sm text-slate-600">{description}</Dialog.Description>
          <form className="mt-4 flex flex-col gap-3" onSubmit={(e) => void submit(e)} noValidate>
            {extraFields?.(touched)}
            <TextareaField
              label={label}
              value={reason}
              onChange={setReason}
              onBlur={touchOnBlur ? () => setTouched(true) : undefined}
              problem={problem}
              showProblem={touched}
              counterMax={showCounter ? max : undefined}
              maxLength={showCounter ? max + 50 : undefined}
              testId={inputTestId}
            />
            <FormAlert>{error}</FormAlert>
            <div className="mt-2 flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button type="button" variant="secondary" disabled={busy}>
                  Back
                </Button>
              </Dialog.Close>
              <Button type="submit" variant={tone} disabled={busy} aria-busy={busy} data-testid={submitTestId}>
                {busy ? "Saving…" : confirmLabel}
              </Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
