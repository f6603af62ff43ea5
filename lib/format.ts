// Display helpers that are not money (money formatting lives in lib/money.ts).
export function formatRating(ratingTenths: number | null): string {
  return ratingTenths === null ? "New" : (ratingTenths / 10).toFixed(1);
}

export function formatDuration(totalSeconds: number): string {
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  if (minutes === 0) return `${seconds} s`;
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

/** "$1.99/min" from cents per minute, without floats. */
export function formatRate(centsPerMinute: number): string {
  const dollars = Math.floor(centsPerMinute / 100);
  const cents = String(centsPerMinute % 100).padStart(2, "0");
  return `$${dollars}.${cents}/min`;
}
