"use client";

import { useConvexAuth, useMutation, useQuery } from "convex/react";
import { useRouter } from "next/navigation";
import { MessageCircle, PhoneIncoming, Video } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { userMessage } from "@/lib/errors";
import { formatRate } from "@/lib/format";

/** A short two-tone ring through Web Audio (no asset to load); silent if the browser blocks audio. */
function ringOnce() {
  try {
    const AudioCtx =
      window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!AudioCtx) return;
    const ctx = new AudioCtx();
    const gain = ctx.createGain();
    gain.gain.value = 0.08;
    gain.connect(ctx.destination);
    [0, 0.25].forEach((offset, i) => {
      const osc = ctx.createOscillator();
      osc.frequency.value = i === 0 ? 880 : 660;
      osc.connect(gain);
      osc.start(ctx.currentTime + offset);
      osc.stop(ctx.currentTime + offset + 0.2);
    });
    setTimeout(() => void ctx.close(), 1000);
  } catch {
    // Audio is a courtesy; the visible card is the real notification.
  }
}

/** Ringing requests for an advisor on any page: sound, a system notification, accept or decline. */
export function IncomingRequests() {
  const { isAuthenticated } = useConvexAuth();
  const requests = useQuery(api.sessions.incoming, isAuthenticated ? {} : "skip");
  const accept = useMutation(api.sessions.accept);
  const decline = useMutation(api.sessions.decline);
  const router = useRouter();
  const [busy, setBusy] = useState<Id<"sessions"> | null>(null);
  const notified = useRef(new Set<string>());
  const first = requests?.[0];

  useEffect(() => {
    if (!first) return;
    ringOnce();
    const timer = setInterval(ringOnce, 3000);
    if (
      !notified.current.has(first._id) &&
      typeof Notification !== "undefined" &&
      Notification.permission === "granted" &&
      document.hidden
    ) {
      notified.current.add(first._id);
      new Notification("Incoming session request", {
        body: `${first.client.name} wants a ${first.kind} session.`,
        tag: first._id,
      });
    }
    return () => clearInterval(timer);
  }, [first]);

  if (!first) return null;
  const KindIcon = first.kind === "video" ? Video : MessageCircle;
  const onAccept = async () => {
    setBusy(first._id);
    try {
      await accept({ sessionId: first._id });
      router.push(`/session/${first._id}`);
    } catch (error) {
      toast.error(userMessage(error));
    } finally {
      setBusy(null);
    }
  };
  const onDecline = async () => {
    setBusy(first._id);
    try {
      await decline({ sessionId: first._id });
    } catch (error) {
      toast.error(userMessage(error));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div
      role="alertdialog"
      aria-labelledby="incoming-title"
      aria-describedby="incoming-desc"
      className="fixed inset-x-3 bottom-3 z-50 rounded-2xl border border-brand-200 bg-white p-4 shadow-2xl sm:left-auto sm:right-4 sm:w-96"
      data-testid="incoming-request"
    >
      <div className="flex items-center gap-3">
        <Avatar name={first.client.name} src={first.client.avatarUrl} size={48} />
        <div className="min-w-0 flex-1">
          <p id="incoming-title" className="flex items-center gap-2 font-semibold">
            <PhoneIncoming
              className="size-4 animate-pulse text-brand-600 motion-reduce:animate-none"
              aria-hidden="true"
            />
            Incoming {first.kind} request
          </p>
          <p id="incoming-desc" className="truncate text-sm text-slate-600">
            <KindIcon className="mr-1 inline size-3" aria-hidden="true" />
            {first.client.name} · {formatRate(first.rateCentsPerMinute)}
          </p>
        </div>
      </div>
      <div className="mt-3 flex gap-2">
        <Button
          className="flex-1"
          onClick={() => void onAccept()}
          disabled={busy !== null}
          data-testid="accept-incoming"
          autoFocus
        >
          Accept
        </Button>
        <Button
          variant="secondary"
          className="flex-1"
          onClick={() => void onDecline()}
          disabled={busy !== null}
          data-testid="decline-incoming"
        >
          Decline
        </Button>
      </div>
      {typeof Notification !== "undefined" && Notification.permission === "default" ? (
        <button
          type="button"
          className="mt-2 text-xs text-brand-700 underline"
          onClick={() => void Notification.requestPermission()}
        >
          Notify me when this tab is in the background
        </button>
      ) : null}
    </div>
  );
}
