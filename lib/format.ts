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

/** How long until a rate-limited call may be retried: "12 seconds", "a minute", "3 minutes", "about an hour". */
export function retryInWords(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return minutes === 1 ? "a minute" : `${minutes} minutes`;
  const hours = Math.ceil(minutes / 60);
  return hours === 1 ? "about an hour" : `about ${hours} hours`;
}

const SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "6 Dec 2026" in local time (date-fns' "d MMM yyyy", without shipping date-fns to public pages). */
export function formatDayMonthYear(ms: number): string {
  const date = new Date(ms);
  return `${date.getDate()} ${SHORT_MONTHS[date.getMonth()]} ${date.getFullYear()}`;
}
