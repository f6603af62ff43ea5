"use client";

import Link from "next/link";
import { useQuery } from "convex/react";
import { Star } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Button } from "@/components/ui/button";
import { EmptyState, Skeleton } from "@/components/ui/misc";
import { AdvisorCard } from "./AdvisorCard";
import { FavouriteButton } from "./FavouriteButton";
import { FollowButton } from "@/components/queue/FollowButton";

/** The viewer's starred advisors with live availability. */
export function FavouritesList() {
  const favourites = useQuery(api.favourites.listMine);
  const followed = useQuery(api.follows.myIds);
  if (favourites === undefined) {
    return (
      <div role="status" aria-label="Loading favourites" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {Array.from({ length: 3 }, (_, i) => (
          <Skeleton key={i} className="h-44" />
        ))}
      </div>
    );
  }
  if (favourites.length === 0) {
    return (
      <EmptyState icon={<Star />} title="No favourites yet">
        Star advisors while browsing to keep them here and see when they are online.
        <div className="mt-3">
          <Button asChild>
            <Link href="/user-dashboard/advisors">Browse advisors</Link>
          </Button>
        </div>
      </EmptyState>
    );
  }
  const online = favourites.filter((f) => f.availability === "online").length;
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm text-slate-600" aria-live="polite">
        {online} of {favourites.length} online now
      </p>
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {favourites.map((f) => (
          <li key={f._id} className="flex [&>article]:w-full">
            <AdvisorCard
              advisor={f}
              action={
                <span className="flex items-center gap-2">
                  {followed !== undefined ? (
                    <FollowButton compact profileId={f._id} name={f.displayName} following={followed.includes(f._id)} />
                  ) : null}
                  <FavouriteButton profileId={f._id} name={f.displayName} isFavourite />
                </span>
              }
            />
          </li>
        ))}
      </ul>
    </div>
  );
}
