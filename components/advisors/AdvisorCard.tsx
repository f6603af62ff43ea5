import Link from "next/link";
import { MessageCircle, Star, Video } from "lucide-react";
import { Avatar } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { categoryLabel } from "@/lib/categories";
import { formatRate, formatRating } from "@/lib/format";
import type { Availability } from "@/lib/advisors/rules";
import { AvailabilityBadge, AvailabilityDot } from "./AvailabilityBadge";
import type { ReactNode } from "react";

export type AdvisorCardData = {
  _id: string;
  displayName: string;
  headline: string;
  avatarUrl: string | null;
  categories: string[];
  chatRateCentsPerMinute: number;
  videoRateCentsPerMinute: number | null;
  online: boolean;
  availability?: Availability;
  ratingTenths: number | null;
  ratingCount: number;
};

/** A clickable advisor summary; `action` (e.g. a favourite star) sits above the card link. */
export function AdvisorCard({ advisor, action }: { advisor: AdvisorCardData; action?: ReactNode }) {
  const availability: Availability = advisor.availability ?? (advisor.online ? "online" : "offline");
  return (
    <article
      className="relative flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm transition focus-within:ring-2 focus-within:ring-brand-500 hover:border-brand-200 hover:shadow-md"
      data-testid="advisor-card"
      data-availability={availability}
    >
      <div className="flex items-start gap-3">
        <div className="relative">
          <Avatar name={advisor.displayName} src={advisor.avatarUrl} size={56} />
          <AvailabilityDot availability={availability} className="absolute bottom-0 right-0 size-3.5" />
        </div>
        <div className="min-w-0 flex-1">
          <h3 className="truncate font-semibold text-slate-900">
            {/* No viewport prefetch: lists show many cards, and decoding a prefetched page per card kept a phone's
                main thread busy (Lighthouse TBT); the profile loads on click. */}
            <Link
              href={`/advisors/${advisor._id}`}
              prefetch={false}
              className="outline-none after:absolute after:inset-0 after:content-[''] hover:text-brand-700"
            >
              {advisor.displayName}
            </Link>
          </h3>
          <p className="line-clamp-2 text-sm text-slate-600">{advisor.headline}</p>
        </div>
        {action ? <div className="relative z-10">{action}</div> : null}
      </div>
      <div className="flex flex-wrap gap-1">
        {advisor.categories.map((c) => (
          <Badge key={c} tone="brand">
            {categoryLabel(c)}
          </Badge>
        ))}
        <AvailabilityBadge availability={availability} />
      </div>
      <div className="mt-auto flex flex-wrap items-center justify-between gap-x-3 gap-y-1 text-sm text-slate-700">
        <span className="flex items-center gap-1">
          <Star className="size-4 fill-amber-400 text-amber-400" aria-hidden="true" />
          <span className="sr-only">Rating</span>
          {formatRating(advisor.ratingTenths)}
          <span className="text-slate-500">
            ({advisor.ratingCount}
            <span className="sr-only"> reviews</span>)
          </span>
        </span>
        <span className="flex items-center gap-3">
          <span className="flex items-center gap-1" title="Chat rate">
            <MessageCircle className="size-4 text-slate-400" aria-hidden="true" />
            <span className="sr-only">Chat</span>
            {formatRate(advisor.chatRateCentsPerMinute)}
          </span>
          {advisor.videoRateCentsPerMinute !== null ? (
            <span className="flex items-center gap-1" title="Video rate">
              <Video className="size-4 text-slate-400" aria-hidden="true" />
              <span className="sr-only">Video</span>
              {formatRate(advisor.videoRateCentsPerMinute)}
            </span>
          ) : null}
        </span>
      </div>
    </article>
  );
}
