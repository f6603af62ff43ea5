import { z } from "zod";

export const demoSignInSchema = z.object({ subject: z.string().min(1).max(100) });

export const createAccountSchema = z.object({
  name: z
    .string()
    .trim()
    .min(2, "Enter your name (at least 2 characters).")
    .max(80, "Keep your name under 80 characters."),
  email: z
    .email("Enter a valid email address.")
    .max(200)
    .transform((e) => e.toLowerCase()),
});

export const signInRequestSchema = z.union([demoSignInSchema, createAccountSchema]);
