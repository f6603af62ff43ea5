"use client";

import dynamic from "next/dynamic";

/** Toasts appear only after something happens, so their code loads after the page is interactive. */
export const LazyToaster = dynamic(() => import("sonner").then((m) => m.Toaster), { ssr: false });
