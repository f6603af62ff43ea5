import { notFound } from "next/navigation";
import Link from "next/link";
import { fetchQuery } from "convex/nextjs";
import { ArrowLeft, Languages, MessageCircle, Star, Video } from "lucide-react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Avatar } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { categoryLabel } from "@/lib/categories";
import { formatRate, formatRating } from "@/lib/format";

export default async function AdvisorPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const advisor = await fetchQuery(api.advisorProfiles.getApproved, { profileId: id as Id<"advisorProfiles"> }).catch(() => null);
  if (advisor === null) notFound();
  return (
    <div className="flex flex-col gap-6">
      <Link href="/advisors" className="flex items-center gap-1 text-sm text-slate-600 hover:text-brand-700">
        <ArrowLeft className="size-4" aria-hidden="true" /> All advisors
      </Link>
      <div className="grid gap-6 md:grid-cols-3">
        <Card className="md:col-span-2">
          <CardHeader className="flex-row items-center gap-4">
            <Avatar name={advisor.displayName} src={advisor.avatarUrl} size={88} />
            <div>
              <h1 className="text-2xl font-semibold">{advisor.displayName}</h1>
              <p className="text-slate-600">{advisor.headline}</p>
              <div className="mt-2 flex flex-wrap gap-1">
                {advisor.categories.map((c) => (
                  <Badge key={c} tone="brand">{categoryLabel(c)}</Badge>
                ))}
                <Badge tone={advisor.online ? "success" : "neutral"}>{advisor.online ? "Online" : "Offline"}</Badge>
              </div>
            </div>
          </CardHeader>
          <CardContent className="flex flex-col gap-4">
            <p className="whitespace-pre-line text-slate-700">{advisor.bio}</p>
            <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-3">
              <div><dt className="text-slate-500">Experience</dt><dd className="font-medium">{advisor.yearsExperience} years</dd></div>
              <div><dt className="text-slate-500">Sessions</dt><dd className="font-medium">{advisor.completedSessions}</dd></div>
              <div>
                <dt className="text-slate-500">Rating</dt>
                <dd className="flex items-center gap-1 font-medium">
                  <Star className="size-4 fill-amber-400 text-amber-400" aria-hidden="true" />
                  {formatRating(advisor.ratingTenths)} ({advisor.ratingCount})
                </dd>
              </div>
              <div className="col-span-2 sm:col-span-3">
                <dt className="flex items-center gap-1 text-slate-500"><Languages className="size-4" aria-hidden="true" /> Languages</dt>
                <dd className="font-medium">{advisor.languages.join(", ")}</dd>
              </div>
            </dl>
            {advisor.tags.length > 0 ? (
              <div className="flex flex-wrap gap-1">{advisor.tags.map((t) => <Badge key={t}>#{t}</Badge>)}</div>
            ) : null}
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>Rates</CardTitle></CardHeader>
          <CardContent className="flex flex-col gap-3 text-sm">
            <p className="flex items-center justify-between">
              <span className="flex items-center gap-2"><MessageCircle className="size-4 text-slate-400" aria-hidden="true" /> Chat</span>
              <span className="font-semibold">{formatRate(advisor.chatRateCentsPerMinute)}</span>
            </p>
            <p className="flex items-center justify-between">
              <span className="flex items-center gap-2"><Video className="size-4 text-slate-400" aria-hidden="true" /> Video</span>
              <span className="font-semibold">
                {advisor.videoRateCentsPerMinute === null ? "Not offered" : formatRate(advisor.videoRateCentsPerMinute)}
              </span>
            </p>
            <p className="text-xs text-slate-500">Billed by the second from the moment the advisor accepts. You need funds for at least 3 minutes to start.</p>
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
