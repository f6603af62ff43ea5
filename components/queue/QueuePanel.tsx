"use client";

import Link from "next/link";
import { useId, useState } from "react";
import { useMutation, useQuery } from "convex/react";
import { Users } from "lucide-react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";
import { userMessage } from "@/lib/errors";
import type { Availability } from "@/lib/advisors/rules";
import { useQueueActions } from "./useQueueActions";

type Props = {
  profileId: Id<"advisorProfiles">;
  name: string;
  availability: Availability;
  offersVideo: boolean;
};

/** On an advisor's profile (signed-in clients): join the queue while they are busy, see the live position, leave. */
export function QueuePanel({ profileId, name, availability, offersVideo }: Props) {
  const mine = useQuery(api.queue.mine, {});
  const summary = useQuery(api.queue.summary, { profileId });
  const join = useMutation(api.queue.join);
  const { busy, leave } = useQueueActions();
  const [kind, setKind] = useState<"chat" | "video">("chat");
  const [joining, setJoining] = useState(false);
  const uid = useId();
  if (mine === undefined || summary === undefined || summary === null) return null;

  if (mine !== null && mine.advisor.profileId === profileId) {
    return (
      <section
        aria-labelledby={`${uid}-title`}
        className="flex flex-col gap-2 rounded-lg border border-brand-200 bg-brand-50 p-3"
        data-testid="queue-panel"
      >
        <h3 id={`${uid}-title`} className="flex items-center gap-2 font-medium text-slate-900">
          <Users className="size-4" aria-hidden="true" /> You are in {name}&apos;s queue
        </h3>
        <p aria-live="polite" data-testid="queue-position">
          {mine.status === "offered"
            ? "It's your turn now: start within 60 seconds."
            : `Position ${mine.position} of ${mine.size}.`}
        </p>
        {mine.lastChange ? (
          <p className="text-xs text-slate-600" aria-live="polite" data-testid="queue-last-change">
            {mine.lastChange}
          </p>
        ) : null}
        <Button
          variant="secondary"
          size="sm"
          className="self-start"
          disabled={busy}
          onClick={() => void leave(`You left ${name}'s queue.`)}
          data-testid="queue-leave"
        >
          Leave the queue
        </Button>
      </section>
    );
  }
  if (mine !== null) {
    return (
      <p className="text-slate-600" data-testid="queue-elsewhere">
        You are waiting in{" "}
        <Link className="font-medium text-brand-700 underline" href={`/advisors/${mine.advisor.profileId}`}>
          {mine.advisor.displayName}&apos;s queue
        </Link>{" "}
        (one queue at a time).
      </p>
    );
  }
  const canQueue = availability === "busy" || (availability === "online" && summary.size > 0);
  if (!canQueue) return null;
  const full = summary.maxLength === 0 || summary.size >= summary.maxLength;
  const onJoin = async () => {
    setJoining(true);
    try {
      const { position } = await join({ profileId, kind });
      toast.success(`You joined ${name}'s queue: position ${position}.`);
    } catch (error) {
      toast.error(userMessage(error));
    } finally {
      setJoining(false);
    }
  };
  return (
    <section
      aria-labelledby={`${uid}-title`}
      className="flex flex-col gap-2 rounded-lg border border-slate-200 p-3"
      data-testid="queue-panel"
    >
      <h3 id={`${uid}-title`} className="flex items-center gap-2 font-medium text-slate-900">
        <Users className="size-4" aria-hidden="true" /> Wait for {name}
      </h3>
      <p className="text-xs text-slate-600" data-testid="queue-size">
        {summary.size} waiting{summary.maxLength > 0 ? ` (at most ${summary.maxLength})` : ""}. When {name} is free, the
        first in line gets 60 seconds to start. You need funds for 3 minutes.
      </p>
      {offersVideo ? (
        <fieldset className="flex gap-4 text-sm">
          <legend className="sr-only">Session type</legend>
          {(["chat", "video"] as const).map((k) => (
            <label key={k} className="flex items-center gap-2">
              <input
                type="radio"
                name={`${uid}-kind`}
                className="size-4 accent-brand-600"
                checked={kind === k}
                onChange={() => setKind(k)}
              />
              {k === "chat" ? "Chat" : "Video"}
            </label>
          ))}
        </fieldset>
      ) : null}
      <Button className="w-full" disabled={joining || full} onClick={() => void onJoin()} data-testid="queue-join">
        {full ? "The queue is full" : joining ? "Joining…" : "Join the queue"}
      </Button>
    </section>
  );
}
