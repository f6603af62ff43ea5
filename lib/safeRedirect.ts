// Where to go after sign-in: only a path on this site. The target is parsed as a URL the way a browser
// would (backslashes as slashes, tabs and newlines dropped), so `/\evil.example` or `/\t/evil.example`
// cannot become `//evil.example`; anything that leaves the origin, or any scheme (`javascript:`), is refused.

const BASE = "http://same-origin.invalid";

/** The same-origin path (with query and hash) to redirect to, or null when `target` is not one. */
export function safeRedirectPath(target: string | null | undefined): string | null {
  if (typeof target !== "string" || target === "" || !target.startsWith("/")) return null;
  let url: URL;
  try {
    url = new URL(target, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  // "/.//evil" normalizes to the path "//evil", which a browser would read as another host.
  if (url.pathname.startsWith("//") || url.pathname.includes("\\")) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** `safeRedirectPath(target)`, or `fallback` when the target is not a same-origin path. */
export function safeRedirect(target: string | null | undefined, fallback = "/"): string {
  return safeRedirectPath(target) ?? fallback;
}
