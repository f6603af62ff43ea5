import { cn } from "@/lib/cn";

// -700 shades: white initials on them meet WCAG AA contrast (4.5:1) at small sizes.
const TONES = ["bg-violet-700", "bg-teal-700", "bg-amber-700", "bg-rose-700", "bg-sky-700", "bg-emerald-700"];

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join("");
}

/** Square-cropped image, or initials on a colour picked from the name. */
export function Avatar({
  name,
  src,
  size = 40,
  className,
}: {
  name: string;
  src?: string | null;
  size?: number;
  className?: string;
}) {
  const tone = TONES[[...name].reduce((sum, ch) => sum + ch.charCodeAt(0), 0) % TONES.length];
  return (
    <span
      className={cn(
        "inline-flex shrink-0 items-center justify-center overflow-hidden rounded-full text-white",
        !src && tone,
        className,
      )}
      style={{ width: size, height: size, fontSize: Math.max(11, size * 0.38) }}
      aria-hidden="true"
    >
      {src ? (
        // eslint-disable-next-line @next/next/no-img-element -- local and storage URLs, no optimizer needed
        <img src={src} alt="" width={size} height={size} className="size-full object-cover" />
      ) : (
        <span className="font-semibold">{initials(name)}</span>
      )}
    </span>
  );
}
