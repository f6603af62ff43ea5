"use client";

import dynamic from "next/dynamic";

// Clerk mode only: loaded on demand, so the local mode's /sign-in never downloads Clerk's components.
export const ClerkSignIn = dynamic(() => import("@clerk/nextjs").then((m) => m.SignIn));
export const ClerkSignUp = dynamic(() => import("@clerk/nextjs").then((m) => m.SignUp));
