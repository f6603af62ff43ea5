"use client";

import { useState } from "react";
import { useMutation } from "convex/react";
import { Star } from "lucide-react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { userMessage } from "@/lib/errors";
import { cn } from "@/lib/cn";
import { toastErrorLazily } from "@/components/ui/lazyToast";

/** Star toggle for signed-in users. `name` makes the accessible label specific. */
export function FavouriteButton({
  profileId,
  name,
  isFavourite,
  className,
}: {
  profileId: Id<"advisorProfiles">;
  name: string;
  isFavourite: boolean;
  className?: string;
}) {
  const add = useMutation(api.favourites.add);
  const remove = useMutation(api.favourites.remove);
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      aria-pressed={isFavourite}
      aria-label={isFavourite ? `Remove ${name} from favourites` : `Add ${name} to favourites`}
      disabled={pending}
      data-testid="favourite-button"
      onClick={() => {
        setPending(true);
        (isFavourite ? remove({ profileId }) : add({ profileId }))
          .catch((e: unknown) => toastErrorLazily(userMessage(e)))
          .finally(() => setPending(false));
      }}
      className={cn(
        "inline-flex size-9 items-center justify-center rounded-full border border-slate-200 bg-white text-slate-500 hover:border-amber-300 hover:text-amber-500 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 disabled:opacity-60",
        isFavourite && "border-amber-300 text-amber-500",
        className,
      )}
    >
      <Star className={cn("size-4", isFavourite && "fill-amber-400")} aria-hidden="true" />
    </button>
  );
}
