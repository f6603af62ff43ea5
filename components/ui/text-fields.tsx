"use client";

import { useId, type ReactNode } from "react";
import { cn } from "@/lib/cn";
import { FieldError, Input, Label } from "./input";

export const TEXTAREA_CLASS =
  "w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 focus-visible:border-brand-500 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500/30 aria-[invalid=true]:border-red-500";

/** "Too short" / "too long" for a required free-text field, measured on the trimmed text; null when it fits. */
export function lengthProblem(
  text: string,
  { min, max, tooShort, tooLong }: { min: number; max: number; tooShort: string; tooLong: string },
): string | null {
  const length = text.trim().length;
  return length < min ? tooShort : length > max ? tooLong : null;
}

/**
 * A labelled textarea with an optional hint under the label, an optional "n/max" counter (of the trimmed text)
 * and the field's problem, shown once `showProblem` is set.
 */
export function TextareaField({
  label,
  hint,
  value,
  onChange,
  onBlur,
  problem,
  showProblem,
  rows = 3,
  counterMax,
  maxLength,
  placeholder,
  testId,
}: {
  label: ReactNode;
  hint?: ReactNode;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  problem: string | null;
  showProblem: boolean;
  rows?: number;
  /** Shows "length/counterMax" under the field, red above it. */
  counterMax?: number;
  maxLength?: number;
  placeholder?: string;
  testId?: string;
}) {
  const fieldId = useId();
  const errorId = useId();
  const countId = useId();
  const visibleProblem = showProblem && problem !== null;
  const length = value.trim().length;
  const counted = counterMax !== undefined;
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={fieldId}>{label}</Label>
      {hint ? <p className="text-xs text-slate-500">{hint}</p> : null}
      <textarea
        id={fieldId}
        rows={rows}
        value={value}
        maxLength={maxLength}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
        aria-invalid={visibleProblem}
        aria-describedby={
          visibleProblem ? (counted ? `${errorId} ${countId}` : errorId) : counted ? countId : undefined
        }
        placeholder={placeholder}
        className={TEXTAREA_CLASS}
        data-testid={testId}
      />
      {counted ? (
        <p id={countId} className={cn("text-right text-xs", length > counterMax ? "text-red-600" : "text-slate-500")}>
          {length}/{counterMax.toLocaleString("en-US")}
        </p>
      ) : null}
      <FieldError id={errorId}>{visibleProblem ? problem : undefined}</FieldError>
    </div>
  );
}

/** A labelled dollar amount input ("$" prefix) with an optional hint and the parse problem, shown once `showProblem` is set. */
export function MoneyField({
  label,
  value,
  onChange,
  problem,
  showProblem,
  hint,
  hintClassName,
  widthClassName = "sm:w-48",
  testId,
}: {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  problem: string | null;
  showProblem: boolean;
  hint?: ReactNode;
  hintClassName?: string;
  widthClassName?: string;
  testId?: string;
}) {
  const fieldId = useId();
  const errorId = useId();
  const hintId = useId();
  const visibleProblem = showProblem && problem !== null;
  const hinted = hint !== undefined && hint !== null;
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={fieldId}>{label}</Label>
      <div className={cn("relative", widthClassName)}>
        <span
          className="pointer-events-none absolute left-3 top-1/2 -translate-y-1/2 text-sm text-slate-500"
          aria-hidden="true"
        >
          $
        </span>
        <Input
          id={fieldId}
          inputMode="decimal"
          autoComplete="off"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={visibleProblem}
          aria-describedby={visibleProblem ? (hinted ? `${errorId} ${hintId}` : errorId) : hinted ? hintId : undefined}
          className="pl-7 tabular-nums"
          data-testid={testId}
        />
      </div>
      {hinted ? (
        <p id={hintId} className={cn("text-xs text-slate-500", hintClassName)}>
          {hint}
        </p>
      ) : null}
      <FieldError id={errorId}>{visibleProblem ? problem : undefined}</FieldError>
    </div>
  );
}

/** The error box under a form when saving failed. */
export function FormAlert({ children, testId }: { children: ReactNode; testId?: string }) {
  if (children === null || children === undefined || children === "") return null;
  return (
    <p
      role="alert"
      className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800"
      data-testid={testId}
    >
      {children}
    </p>
  );
}
