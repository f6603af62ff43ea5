import Link from "next/link";
import { MessageCircle, Star, Video } from "lucide-react";
import { Avatar } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { categoryLabel } from "@/lib/categories";
import { formatRate, formatRating } from "@/lib/format";

export type AdvisorCardData = {
  _id: string;
  displayName: string;
  headline: string;
  avatarUrl: string | null;
  categories: string[];
  chatRateCentsPerMinute: number;
  videoRateCentsPerMinute: number | null;
  online: boolean;
  ratingTenths: number | null;
  ratingCount: number;
};

export function AdvisorCard({ advisor }: { advisor: AdvisorCardData }) {
  return (
    <Link
      href={`/advisors/${advisor._id}`}
      className="group flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm transition hover:border-brand-200 hover:shadow-md focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
      data-testid="advisor-card"
    >
      <div className="flex items-start gap-3">
        <div className="relative">
          <Avatar name={advisor.displayName} src={advisor.avatarUrl} size={56} />
          <span
            className={`absolute bottom-0 right-0 size-3.5 rounded-full border-2 border-white ${advisor.online ? "bg-emerald-500" : "bg-slate-300"}`}
            aria-hidden="true"
          />
        </div>
        <div className="min-w-0 flex-1">
          <p className="truncate font-semibold text-slate-900 group-hover:text-brand-700">{advisor.displayName}</p>
          <p className="line-clamp-2 text-sm text-slate-600">{advisor.headline}</p>
        </div>
      </div>
      <div className="flex flex-wrap gap-1">
        {advisor.categories.map((c) => (
          <Badge key={c} tone="brand">
            {categoryLabel(c)}
          </Badge>
        ))}
        <Badge tone={advisor.online ? "success" : "neutral"}>{advisor.online ? "Online" : "Offline"}</Badge>
      </div>
      <div className="mt-auto flex flex-wrap items-center justify-between gap-x-3 gap-y-1 text-sm text-slate-700">
        <span className="flex items-center gap-1">
          <Star className="size-4 fill-amber-400 text-amber-400" aria-hidden="true" />
          {formatRating(advisor.ratingTenths)}
          <span className="text-slate-400">({advisor.ratingCount})</span>
        </span>
        <span className="flex items-center gap-3">
          <span className="flex items-center gap-1" title="Chat rate">
            <MessageCircle className="size-4 text-slate-400" aria-hidden="true" />
            <span className="sr-only">Chat</span>
            {formatRate(advisor.chatRateCentsPerMinute)}
          </span>
          {advisor.videoRateCentsPerMinute !== null ? (
            <span className="hidden items-center gap-1 sm:flex" title="Video rate">
              <Video className="size-4 text-slate-400" aria-hidden="true" />
              <span className="sr-only">Video</span>
              {formatRate(advisor.videoRateCentsPerMinute)}
            </span>
          ) : null}
        </span>
      </div>
    </Link>
  );
}
