"use client";

import { useRef, useState } from "react";
import type { z } from "zod";
import { LogIn, UserPlus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FieldError, Input, Label } from "@/components/ui/input";
import { Badge } from "@/components/ui/badge";
import type { createAccountSchema } from "@/lib/schemas/auth";
import type { DemoAccount } from "@/lib/demoAccounts";
import { safeRedirect } from "@/lib/safeRedirect";

type CreateAccountInput = z.input<typeof createAccountSchema>;
type Field = keyof CreateAccountInput;
type FieldErrors = Partial<Record<Field, string>>;
const FIELDS: Field[] = ["name", "email"];

/**
 * The same schema as the server's, loaded on the first submit: zod stays out of the page's first JavaScript (and a
 * form library too: two fields, validated on submit and again on every change after a failed submit).
 */
async function validate(
  values: CreateAccountInput,
): Promise<{ ok: true; data: z.output<typeof createAccountSchema> } | { ok: false; errors: FieldErrors }> {
  const { createAccountSchema: schema } = await import("@/lib/schemas/auth");
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0] as Field;
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

const ROLE_TONE = { client: "brand", advisor: "success", admin: "warning" } as const;

async function signIn(body: object, next: string | null): Promise<string | null> {
  const response = await fetch("/api/auth/local/sign-in", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  }).catch(() => null);
  if (!response) return "Could not reach the server. Check that `npm run dev` is running.";
  const data = (await response.json().catch(() => ({}))) as { redirectTo?: string; error?: { message: string } };
  if (!response.ok) return data.error?.message ?? "Sign-in failed.";
  // A full navigation so the server renders with the new session cookie.
  // Only a same-origin path is followed (lib/safeRedirect.ts): `next` comes from the link that opened this page.
  window.location.assign(safeRedirect(next, safeRedirect(data.redirectTo)));
  return null;
}

export function LocalSignIn({ accounts, next }: { accounts: readonly DemoAccount[]; next: string | null }) {
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [values, setValues] = useState<CreateAccountInput>({ name: "", email: "" });
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const submitted = useRef(false);
  const validation = useRef(0);
  const inputs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});

  async function check(next: CreateAccountInput) {
    const round = ++validation.current;
    const result = await validate(next);
    if (round !== validation.current) return null; // a newer edit is being checked
    setFieldErrors(result.ok ? {} : result.errors);
    return result;
  }

  function change(field: Field, value: string) {
    const next = { ...values, [field]: value };
    setValues(next);
    if (submitted.current) void check(next);
  }

  async function submit() {
    submitted.current = true;
    const result = await check(values);
    if (result === null) return;
    if (!result.ok) {
      const first = FIELDS.find((f) => result.errors[f] !== undefined);
      if (first) inputs.current[first]?.focus();
      return;
    }
    await run("create", result.data);
  }

  async function run(key: string, body: object) {
    setPending(key);
    setError(null);
    const message = await signIn(body, next);
    if (message) {
      setError(message);
      setPending(null);
    }
  }

  return (
    <div className="grid gap-6 md:grid-cols-5">
      <Card className="min-w-0 md:col-span-3">
        <CardHeader>
          <CardTitle>Demo accounts</CardTitle>
          <CardDescription>One click signs you in. Each role sees its own pages.</CardDescription>
        </CardHeader>
        <CardContent>
          <ul className="flex flex-col gap-2">
            {accounts.map((account) => (
              <li key={account.subject}>
                <button
                  type="button"
                  disabled={pending !== null}
                  onClick={() => void run(account.subject, { subject: account.subject })}
                  className="flex w-full items-center justify-between gap-3 rounded-lg border border-slate-200 p-3 text-left hover:border-brand-300 hover:bg-brand-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 disabled:opacity-60"
                  data-testid={`demo-${account.subject}`}
                >
                  <span className="min-w-0">
                    <span className="block font-medium text-slate-900">{account.name}</span>
                    <span className="block truncate text-sm text-slate-500">{account.blurb}</span>
                  </span>
                  <span className="flex shrink-0 items-center gap-2">
                    <Badge tone={ROLE_TONE[account.role]}>{account.role}</Badge>
                    <LogIn className="size-4 text-slate-400" aria-hidden="true" />
                    <span className="sr-only">{pending === account.subject ? "Signing in" : "Sign in"}</span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </CardContent>
      </Card>
      <Card className="min-w-0 md:col-span-2">
        <CardHeader>
          <CardTitle>Create an account</CardTitle>
          <CardDescription>
            New accounts start as clients. To advise, choose &ldquo;Become an advisor&rdquo; in your account menu or on
            the Advisors page.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <form
            noValidate
            className="flex flex-col gap-4"
            onSubmit={(event) => {
              event.preventDefault();
              void submit();
            }}
          >
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="name">Name</Label>
              <Input
                id="name"
                autoComplete="name"
                aria-invalid={fieldErrors.name ? true : undefined}
                aria-describedby="name-error"
                name="name"
                ref={(el) => {
                  inputs.current.name = el;
                }}
                value={values.name}
                onChange={(event) => change("name", event.target.value)}
              />
              <FieldError id="name-error">{fieldErrors.name}</FieldError>
            </div>
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="email">Email</Label>
              <Input
                id="email"
                type="email"
                autoComplete="email"
                aria-invalid={fieldErrors.email ? true : undefined}
                aria-describedby="email-error"
                name="email"
                ref={(el) => {
                  inputs.current.email = el;
                }}
                value={values.email}
                onChange={(event) => change("email", event.target.value)}
              />
              <FieldError id="email-error">{fieldErrors.email}</FieldError>
            </div>
            <Button type="submit" disabled={pending !== null}>
              <UserPlus aria-hidden="true" /> {pending === "create" ? "Creating…" : "Create account"}
            </Button>
          </form>
        </CardContent>
      </Card>
      {error ? (
        <p role="alert" className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800 md:col-span-5">
          {error}
        </p>
      ) : null}
    </div>
  );
}
