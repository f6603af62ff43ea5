// Upload rules shared by the backend and tests (framework-free).

/** Unattached uploads are deleted after this long (hourly sweep, convex/crons.ts). */
export const UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;
/** Convex upload URLs expire after an hour: a file must arrive within this long of its grant. */
export const UPLOAD_URL_LIFETIME_MS = 60 * 60 * 1000;

/**
 * "image/SVG+xml; charset=utf-8" -> "image/svg+xml". Content types are compared without their parameters
 * (an exact comparison let `image/svg+xml; charset=utf-8` pass as a photo).
 */
export function baseContentType(contentType: string | null | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Raster images only: SVG can carry script. */
export function isPhotoContentType(contentType: string | null | undefined): boolean {
  const base = baseContentType(contentType);
  return base.startsWith("image/") && base !== "image/svg+xml";
}

/** A private document's link: same-origin and role-checked on each request, never a permanent storage URL. */
export function documentHref(documentId: string): string {
  return `/api/documents/${encodeURIComponent(documentId)}`;
}
