"use client";

import dynamic from "next/dynamic";

/** The root layout imports this, not SignedInShell: a layout's imports ship with every page it renders. */
export const LazySignedInShell = dynamic(() => import("./SignedInShell"));
