"use client";

import Link from "next/link";
import dynamic from "next/dynamic";
import { useConvexAuth, usePaginatedQuery, useQuery } from "convex/react";
import { ArrowLeft, Languages, MessageCircle, MessageSquareText, Star, Video, Wallet } from "lucide-react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Avatar } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState, LoadingRows } from "@/components/ui/misc";
import { categoryLabel } from "@/lib/categories";
import { formatDayMonthYear, formatRate, formatRating } from "@/lib/format";
import { startBlocker, type Availability } from "@/lib/advisors/rules";
import { AvailabilityBadge } from "./AvailabilityBadge";
import { SendOfflineMessage } from "@/components/offlineMessages/SendOfflineMessage";

// Signed-in widgets, loaded when first rendered: a visitor's profile needs none of them (they brought dialogs, sonner
// and the queue into its first JavaScript). None renders on the server (each waits for the signed-in state or a live
// query), so `ssr: false` changes no HTML.
const FavouriteButton = dynamic(() => import("./FavouriteButton").then((m) => m.FavouriteButton), { ssr: false });
const RequestSessionButton = dynamic(
  () => import("@/components/session/RequestSessionButton").then((m) => m.RequestSessionButton),
  { ssr: false },
);
const ReportReviewButton = dynamic(
  () => import("@/components/reviews/ReportReviewButton").then((m) => m.ReportReviewButton),
  { ssr: false },
);
const FollowButton = dynamic(() => import("@/components/queue/FollowButton").then((m) => m.FollowButton), {
  ssr: false,
});
const QueuePanel = dynamic(() => import("@/components/queue/QueuePanel").then((m) => m.QueuePanel), { ssr: false });

type Advisor = NonNullable<ReturnType<typeof useQuery<typeof api.advisorProfiles.getPublic>>>;

export function AdvisorProfileView({ initial }: { initial: Advisor }) {
  const live = useQuery(api.advisorProfiles.getPublic, { profileId: initial._id });
  const { isAuthenticated } = useConvexAuth();
  if (live === null) {
    return (
      <EmptyState title="This advisor is no longer listed">
        <Link href="/advisors" className="text-brand-700 underline">
          Browse other advisors
        </Link>
      </EmptyState>
    );
  }
  const advisor = live ?? initial;
  return (
    <div className="flex flex-col gap-6">
      <Link href="/advisors" className="flex items-center gap-1 self-start text-sm text-slate-600 hover:text-brand-700">
        <ArrowLeft className="size-4" aria-hidden="true" /> All advisors
      </Link>
      {/* On a phone the start card comes right after the name (order), before the bio and reviews, so the primary
          action is on the first screen; from lg it is the right-hand column. */}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="contents lg:col-span-2 lg:flex lg:flex-col lg:gap-6">
          <Card className="order-1 lg:order-none">
            <CardHeader className="flex-col gap-4 sm:flex-row sm:items-center">
              <Avatar name={advisor.displayName} src={advisor.avatarUrl} size={96} className="rounded-2xl" />
              <div className="min-w-0 flex-1">
                <div className="flex items-start justify-between gap-2">
                  <h1 className="text-2xl font-semibold">{advisor.displayName}</h1>
                  {isAuthenticated ? (
                    <FavouriteButton
                      profileId={advisor._id}
                      name={advisor.displayName}
                      isFavourite={advisor.isFavourite}
                    />
                  ) : null}
                </div>
                <p className="text-slate-600">{advisor.headline}</p>
                <div className="mt-2 flex flex-wrap gap-1">
                  {advisor.categories.map((c) => (
                    <Badge key={c} tone="brand">
                      {categoryLabel(c)}
                    </Badge>
                  ))}
                  <AvailabilityBadge availability={advisor.availability} />
                </div>
              </div>
            </CardHeader>
          </Card>
          <Card className="order-3 lg:order-none">
            <CardContent className="flex flex-col gap-4 pt-6">
              <p className="whitespace-pre-line text-slate-700">{advisor.bio}</p>
              <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-3">
                <div>
                  <dt className="text-slate-500">Experience</dt>
                  <dd className="font-medium">{advisor.yearsExperience} years</dd>
                </div>
                <div>
                  <dt className="text-slate-500">Sessions</dt>
                  <dd className="font-medium">{advisor.completedSessions}</dd>
                </div>
                <div>
                  <dt className="text-slate-500">Rating</dt>
                  <dd className="flex items-center gap-1 font-medium">
                    <Star className="size-4 fill-amber-400 text-amber-400" aria-hidden="true" />
                    {formatRating(advisor.ratingTenths)} ({advisor.ratingCount})
                  </dd>
                </div>
                <div className="col-span-2 sm:col-span-3">
                  <dt className="flex items-center gap-1 text-slate-500">
                    <Languages className="size-4" aria-hidden="true" /> Languages
                  </dt>
                  <dd className="font-medium">{advisor.languages.join(", ")}</dd>
                </div>
              </dl>
              {advisor.tags.length > 0 ? (
                <div className="flex flex-wrap gap-1">
                  {advisor.tags.map((t) => (
                    <Badge key={t}>#{t}</Badge>
                  ))}
                </div>
              ) : null}
            </CardContent>
          </Card>
          {/* Issue 24: a paid offline message (only when the advisor offers it). */}
          <div className="order-3 empty:hidden lg:order-none">
            <SendOfflineMessage profileId={advisor._id} advisorName={advisor.displayName} signedIn={isAuthenticated} />
          </div>
          <div className="order-4 lg:order-none">
            <Reviews profileId={advisor._id} advisor={advisor} />
          </div>
        </div>
        <StartCard advisor={advisor} signedIn={isAuthenticated} />
      </div>
    </div>
  );
}

function StartCard({ advisor, signedIn }: { advisor: Advisor; signedIn: boolean }) {
  const viewer = useQuery(api.users.viewer, signedIn ? {} : "skip");
  const isClient = viewer?.role === "client";
  const wallet = useQuery(api.wallet.getMyWallet, signedIn && isClient ? {} : "skip");
  const availableCents = wallet ? wallet.availableCents : null;
  const following = useQuery(api.follows.isFollowing, signedIn && isClient ? { profileId: advisor._id } : "skip");
  return (
    <Card className="order-2 lg:order-none lg:self-start">
      <CardHeader>
        <CardTitle>Rates and availability</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-4 text-sm">
        <p className="flex items-center justify-between">
          <span className="flex items-center gap-2">
            <MessageCircle className="size-4 text-slate-400" aria-hidden="true" /> Chat
          </span>
          <span className="font-semibold">{formatRate(advisor.chatRateCentsPerMinute)}</span>
        </p>
        <p className="flex items-center justify-between">
          <span className="flex items-center gap-2">
            <Video className="size-4 text-slate-400" aria-hidden="true" /> Video
          </span>
          <span className="font-semibold">
            {advisor.videoRateCentsPerMinute === null ? "Not offered" : formatRate(advisor.videoRateCentsPerMinute)}
          </span>
        </p>
        <p className="flex items-center justify-between">
          <span>Status</span>
          <AvailabilityBadge availability={advisor.availability} />
        </p>
        <div className="flex flex-col gap-3 border-t border-slate-100 pt-4">
          {signedIn && viewer !== undefined && !isClient ? (
            <p className="text-slate-600">Sessions are started from a client account.</p>
          ) : (
            <>
              <StartButton
                kind="chat"
                advisor={advisor}
                rate={advisor.chatRateCentsPerMinute}
                availability={advisor.availability}
                availableCents={availableCents}
                signedIn={signedIn}
                loading={signedIn && (viewer === undefined || wallet === undefined)}
              />
              <StartButton
                kind="video"
                advisor={advisor}
                rate={advisor.videoRateCentsPerMinute}
                availability={advisor.availability}
                availableCents={availableCents}
                signedIn={signedIn}
                loading={signedIn && (viewer === undefined || wallet === undefined)}
              />
              {isClient ? (
                <QueuePanel
                  profileId={advisor._id}
                  name={advisor.displayName}
                  availability={advisor.availability}
                  offersVideo={advisor.videoRateCentsPerMinute !== null}
                />
              ) : null}
              {isClient && following !== undefined ? (
                <FollowButton profileId={advisor._id} name={advisor.displayName} following={following} />
              ) : null}
            </>
          )}
        </div>
        <p className="text-xs text-slate-500">
          Billed by the second from the moment the advisor accepts. You need funds for at least 3 minutes to start.
        </p>
      </CardContent>
    </Card>
  );
}

function StartButton({
  kind,
  advisor,
  rate,
  availability,
  availableCents,
  signedIn,
  loading,
}: {
  kind: "chat" | "video";
  advisor: Advisor;
  rate: number | null;
  availability: Availability;
  availableCents: number | null;
  signedIn: boolean;
  loading: boolean;
}) {
  const label = kind === "chat" ? "Start chat" : "Start video";
  const Icon = kind === "chat" ? MessageCircle : Video;
  const reasonId = `start-${kind}-reason`;
  if (loading) {
    return (
      <Button disabled className="w-full">
        <Icon aria-hidden="true" /> {label}
      </Button>
    );
  }
  const blocker = startBlocker({ availability, rateCentsPerMinute: rate, availableCents, signedIn });
  if (blocker === null)
    return (
      <RequestSessionButton
        profileId={advisor._id}
        kind={kind}
        label={label}
        icon={<Icon aria-hidden="true" />}
        rateCentsPerMinute={rate ?? 0}
      />
    );
  return (
    <div className="flex flex-col gap-1">
      <Button disabled className="w-full" aria-describedby={reasonId} data-testid={`start-${kind}`}>
        <Icon aria-hidden="true" /> {label}
      </Button>
      <p id={reasonId} className="text-xs text-slate-600" data-testid={`start-${kind}-reason`}>
        {blocker.message}{" "}
        {blocker.reason === "funds" ? (
          <Link
            href="/user-dashboard/wallet"
            className="inline-flex items-center gap-1 font-medium text-brand-700 underline-offset-4 hover:underline"
          >
            <Wallet className="size-3" aria-hidden="true" /> Top up your wallet
          </Link>
        ) : blocker.reason === "sign_in" ? (
          <Link
            href={`/sign-in?next=${encodeURIComponent(`/advisors/${advisor._id}`)}`}
            className="font-medium text-brand-700 underline-offset-4 hover:underline"
          >
            Sign in
          </Link>
        ) : null}
      </p>
    </div>
  );
}

function Reviews({ profileId, advisor }: { profileId: Id<"advisorProfiles">; advisor: Advisor }) {
  const { results, status, loadMore } = usePaginatedQuery(
    api.advisorProfiles.listReviews,
    { profileId },
    { initialNumItems: 5 },
  );
  const { isAuthenticated } = useConvexAuth();
  const viewer = useQuery(api.users.viewer, isAuthenticated ? {} : "skip");
  const canReport = viewer !== undefined && viewer !== null && viewer.role !== "admin";
  const total = advisor.distribution.reduce((a, b) => a + b, 0);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Reviews</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-5">
        <div className="flex flex-col gap-4 sm:flex-row sm:items-center">
          <div className="text-center sm:w-32">
            <p className="text-4xl font-semibold">{formatRating(advisor.ratingTenths)}</p>
            <p className="text-sm text-slate-500">
              {advisor.ratingCount} {advisor.ratingCount === 1 ? "review" : "reviews"}
            </p>
          </div>
          <ul className="flex flex-1 flex-col gap-1.5" aria-label="Rating distribution">
            {[5, 4, 3, 2, 1].map((stars) => {
              const count = advisor.distribution[stars - 1] ?? 0;
              const pct = total === 0 ? 0 : Math.round((count * 100) / total);
              return (
                <li key={stars} className="flex items-center gap-2 text-sm">
                  <span className="w-12 shrink-0 text-slate-600">{stars} star</span>
                  <span
                    className="h-2 flex-1 overflow-hidden rounded-full bg-slate-100"
                    role="img"
                    aria-label={`${stars} stars: ${count} reviews`}
                  >
                    <span className="block h-full rounded-full bg-amber-400" style={{ width: `${pct}%` }} />
                  </span>
                  <span className="w-6 shrink-0 text-right text-slate-500" aria-hidden="true">
                    {count}
                  </span>
                </li>
              );
            })}
          </ul>
        </div>
        {status === "LoadingFirstPage" ? (
          <LoadingRows rows={2} label="Loading reviews" />
        ) : results.length === 0 ? (
          <EmptyState icon={<MessageSquareText />} title="No reviews yet">
            Reviews appear after completed sessions.
          </EmptyState>
        ) : (
          <ul className="flex flex-col divide-y divide-slate-100" data-testid="reviews">
            {results.map((r) => (
              <li key={r._id} className="flex flex-col gap-1 py-3">
                <div className="flex items-center justify-between gap-2 text-sm">
                  <span className="font-medium text-slate-900">{r.reviewerName}</span>
                  <span className="flex items-center gap-0.5" role="img" aria-label={`${r.rating} out of 5 stars`}>
                    {Array.from({ length: 5 }, (_, i) => (
                      <Star
                        key={i}
                        className={`size-3.5 ${i < r.rating ? "fill-amber-400 text-amber-400" : "text-slate-300"}`}
                        aria-hidden="true"
                      />
                    ))}
                  </span>
                </div>
                <p className="text-sm text-slate-700">{r.comment}</p>
                <p className="text-xs text-slate-500">{formatDayMonthYear(r.createdAt)}</p>
                {r.reply !== null ? (
                  <div className="ml-3 border-l-2 border-brand-200 pl-3 text-sm" data-testid="review-public-reply">
                    <p className="text-xs font-medium text-slate-500">Reply from {advisor.displayName}</p>
                    <p className="whitespace-pre-line break-words text-slate-700">{r.reply}</p>
                  </div>
                ) : null}
                {canReport ? <ReportReviewButton reviewId={r._id} /> : null}
              </li>
            ))}
          </ul>
        )}
        {status === "CanLoadMore" ? (
          <Button variant="secondary" className="self-start" onClick={() => loadMore(5)}>
            More reviews
          </Button>
        ) : null}
      </CardContent>
    </Card>
  );
}
