"use client";

import Link from "next/link";
import { useMutation, useQuery } from "convex/react";
import { PhoneIncoming, PhoneOff, Loader2, MessageCircle, Video, WifiOff, PauseCircle } from "lucide-react";
import { useCallback, useState } from "react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { useBillingSession, useServerNow } from "@/hooks/useBillingSession";
import { useSessionHeartbeat } from "@/hooks/useSessionHeartbeat";
import { Avatar } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/cn";
import { Button } from "@/components/ui/button";
import { EmptyState, Skeleton } from "@/components/ui/misc";
import { formatRate } from "@/lib/format";
import { userMessage } from "@/lib/errors";
import { STATUS_LABELS, pauseReasonText, type PauseReason } from "@/lib/sessionUtils";
import { SESSION_RULES } from "@/lib/billingEngine";
import { SessionChat } from "./SessionChat";
import { SessionVideo } from "./SessionVideo";
import { SessionTimer } from "./SessionTimer";
import { RoomTopUp } from "./RoomTopUp";
import { SessionReceipt } from "./SessionReceipt";

type Room = NonNullable<ReturnType<typeof useQuery<typeof api.sessions.room>>>;

/** The live room: ringing, then chat (and video), the timer, pauses, and the receipt once it ends. */
export function SessionRoom({ sessionId }: { sessionId: Id<"sessions"> }) {
  const room = useQuery(api.sessions.room, { sessionId });
  if (room === undefined) {
    return (
      <div role="status" aria-label="Loading session" className="flex flex-col gap-4">
        <Skeleton className="h-16 w-full" />
        <Skeleton className="h-[60vh] w-full" />
      </div>
    );
  }
  if (room.role === "admin") return <SessionReceipt sessionId={sessionId} />;
  if (room.status === "ended") return <SessionReceipt sessionId={sessionId} justEnded />;
  if (room.status === "declined" || room.status === "expired" || room.status === "cancelled")
    return <ClosedRequest room={room} />;
  if (room.status === "requested") return <Ringing room={room} />;
  return <LiveRoom room={room} />;
}

function useRoomAction() {
  const [busy, setBusy] = useState(false);
  const run = (fn: () => Promise<unknown>) => {
    setBusy(true);
    fn()
      .catch((error: unknown) => toast.error(userMessage(error)))
      .finally(() => setBusy(false));
  };
  return { busy, run };
}

function Counterpart({ room }: { room: Room }) {
  const other = room.role === "client" ? room.advisor : room.client;
  const KindIcon = room.kind === "video" ? Video : MessageCircle;
  return (
    <div className="flex min-w-0 items-center gap-3">
      <Avatar name={other.name} src={other.avatarUrl} size={44} />
      <div className="min-w-0">
        <h1 className="truncate text-lg font-semibold">{other.name}</h1>
        <p className="flex items-center gap-1 text-sm text-slate-500">
          <KindIcon className="size-4" aria-hidden="true" /> {room.kind === "video" ? "Video" : "Chat"} ·{" "}
          {formatRate(room.rateCentsPerMinute)}
        </p>
      </div>
    </div>
  );
}

function Ringing({ room }: { room: Room }) {
  const skewMs = useSessionHeartbeat(room._id, true);
  const now = useServerNow(skewMs, true);
  const cancel = useMutation(api.sessions.cancel);
  const accept = useMutation(api.sessions.accept);
  const decline = useMutation(api.sessions.decline);
  const { busy, run } = useRoomAction();
  const secondsLeft = Math.max(0, Math.ceil((room.expiresAt - now) / 1000));
  const isClient = room.role === "client";
  return (
    <div className="mx-auto flex max-w-md flex-col items-center gap-5 py-10 text-center" data-testid="ringing">
      <div className="relative">
        <span
          className="absolute inset-0 animate-ping rounded-full bg-brand-200 motion-reduce:hidden"
          aria-hidden="true"
        />
        <Avatar
          name={isClient ? room.advisor.name : room.client.name}
          src={isClient ? room.advisor.avatarUrl : room.client.avatarUrl}
          size={96}
          className="relative"
        />
      </div>
      <div role="status" aria-live="polite">
        <h1 className="text-xl font-semibold">
          {isClient ? `Calling ${room.advisor.name}…` : `${room.client.name} is calling`}
        </h1>
        <p className="mt-1 text-sm text-slate-600">
          {room.kind === "video" ? "Video" : "Chat"} at {formatRate(room.rateCentsPerMinute)}.{" "}
          {isClient ? "You are not charged until they accept." : ""}
        </p>
        <p className="mt-1 text-sm text-slate-500" data-testid="ring-countdown">
          {secondsLeft > 0 ? `Ringing for ${secondsLeft} more seconds` : "Waiting for an answer…"}
        </p>
      </div>
      {isClient ? (
        <Button
          variant="secondary"
          disabled={busy}
          onClick={() => run(() => cancel({ sessionId: room._id }))}
          data-testid="cancel-request"
        >
          <PhoneOff aria-hidden="true" /> Cancel
        </Button>
      ) : (
        <div className="flex gap-2">
          <Button
            disabled={busy}
            onClick={() => run(() => accept({ sessionId: room._id }))}
            data-testid="accept-request"
          >
            <PhoneIncoming aria-hidden="true" /> Accept
          </Button>
          <Button
            variant="secondary"
            disabled={busy}
            onClick={() => run(() => decline({ sessionId: room._id }))}
            data-testid="decline-request"
          >
            Decline
          </Button>
        </div>
      )}
    </div>
  );
}

function ClosedRequest({ room }: { room: Room }) {
  const text =
    room.status === "declined"
      ? room.role === "client"
        ? `${room.advisor.name} could not take the session right now.`
        : "You declined this request."
      : room.status === "expired"
        ? room.role === "client"
          ? `${room.advisor.name} did not answer in time.`
          : "This request rang out."
        : room.role === "client"
          ? "You cancelled the request."
          : "The client cancelled the request.";
  return (
    <EmptyState icon={<PhoneOff />} title={STATUS_LABELS[room.status]}>
      <p data-testid="closed-request">{text} Nothing was charged.</p>
      <div className="mt-3 flex justify-center gap-2">
        {room.role === "client" && room.advisor.profileId ? (
          <Button asChild variant="secondary">
            <Link href={`/advisors/${room.advisor.profileId}`}>Back to {room.advisor.name}</Link>
          </Button>
        ) : null}
        <Button asChild variant="secondary">
          <Link href={room.role === "client" ? "/advisors" : "/advisor-dashboard"}>
            {room.role === "client" ? "Browse advisors" : "Dashboard"}
          </Link>
        </Button>
      </div>
    </EmptyState>
  );
}

function LiveRoom({ room }: { room: Room }) {
  const role = room.role as "client" | "advisor";
  const status = room.status as "active" | "paused";
  // Video: the heartbeat follows the call (leaving or losing it feeds the liveness rules), but only
  // after the first connection, so the time to grant camera access does not count as absence.
  const [inCall, setInCall] = useState(false);
  const [joinedOnce, setJoinedOnce] = useState(false);
  const onInCallChange = useCallback((value: boolean) => {
    setInCall(value);
    if (value) setJoinedOnce(true);
  }, []);
  // While paused the call is closed by the server's rules, so the room keeps heart-beating (resume needs presence).
  const present = room.kind === "chat" || status === "paused" || !joinedOnce || inCall;
  const skewMs = useSessionHeartbeat(room._id, present);
  const billing = useBillingSession(room, role, skewMs);
  const now = useServerNow(skewMs, true);
  const pause = useMutation(api.sessions.pause);
  const resume = useMutation(api.sessions.resume);
  const heartbeat = useMutation(api.sessions.heartbeat);
  const end = useMutation(api.sessions.end);
  const { busy, run } = useRoomAction();
  const other = role === "client" ? room.advisor : room.client;
  const presence = useQuery(api.sessions.presence, { sessionId: room._id });
  const otherSeen = presence === undefined ? undefined : role === "client" ? presence.advisor : presence.client;
  // Unknown while the presence query loads: show nothing rather than a false "offline".
  const otherAway =
    otherSeen !== undefined && (otherSeen === null || now - otherSeen > SESSION_RULES.presentWindowMs * 2);

  return (
    // On a phone a chat room fills the dynamic viewport (100dvh less the header and padding), so the composer
    // and the End button stay on screen when the browser's bars or the keyboard come and go.
    <div
      className={cn(
        "flex flex-col gap-3 sm:gap-4",
        room.kind === "chat" && "max-sm:h-[calc(100dvh-6rem)] max-sm:min-h-[420px]",
      )}
      data-testid="session-room"
      data-status={room.status}
    >
      <div className="flex flex-wrap items-center justify-between gap-2 sm:gap-3">
        <Counterpart room={room} />
        <div className="flex items-center gap-2">
          {otherAway ? (
            <Badge tone="warning">
              <WifiOff className="size-3" aria-hidden="true" /> {other.name} seems offline
            </Badge>
          ) : null}
          <Badge tone={status === "active" ? "success" : "warning"} data-testid="session-status">
            {STATUS_LABELS[status]}
          </Badge>
        </div>
      </div>
      <SessionTimer
        billing={billing}
        role={role}
        status={status}
        rateCentsPerMinute={room.rateCentsPerMinute}
        busy={busy}
        onPause={() => run(() => pause({ sessionId: room._id }))}
        // Resuming needs fresh presence (the resume call itself does not count): beat first.
        onResume={() =>
          run(async () => {
            await heartbeat({ sessionId: room._id });
            await resume({ sessionId: room._id });
          })
        }
        resumer={room.resumer}
        onEnd={() => run(() => end({ sessionId: room._id }))}
        topUp={<RoomTopUp compact />}
      />
      {status === "paused" && room.pauseReason ? (
        <PausedBanner reason={room.pauseReason} role={role} pausedAt={room.pausedAt} now={now} />
      ) : null}
      <div
        className={
          room.kind === "video"
            ? "grid gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]"
            : "flex min-h-0 flex-1 flex-col"
        }
      >
        {room.kind === "video" ? (
          <div className="min-h-[320px]">
            {/* One call per stretch of billed time: a pause ends it, and resuming joins a fresh one. */}
            <SessionVideo
              key={room.segments.length}
              sessionId={room._id}
              provider={room.provider}
              role={role}
              viewerId={role === "client" ? room.client._id : room.advisor._id}
              counterpartName={other.name}
              live={status === "active"}
              onInCallChange={onInCallChange}
            />
          </div>
        ) : null}
        <div
          className={cn(
            "flex flex-col sm:h-[min(65vh,640px)] sm:min-h-[360px]",
            room.kind === "chat" ? "min-h-0 flex-1" : "h-[min(65dvh,640px)] min-h-[360px]",
          )}
        >
          <SessionChat sessionId={room._id} provider={room.provider} role={role} counterpartName={other.name} />
        </div>
      </div>
    </div>
  );
}

function PausedBanner({
  reason,
  role,
  pausedAt,
  now,
}: {
  reason: PauseReason;
  role: "client" | "advisor";
  pausedAt: number | null;
  now: number;
}) {
  const limitMs =
    reason === "insufficient_funds"
      ? SESSION_RULES.insufficientFundsHoldMs
      : reason === "client_away" || reason === "advisor_away"
        ? SESSION_RULES.awayEndMs
        : SESSION_RULES.maxPauseMs;
  const secondsLeft = pausedAt === null ? null : Math.max(0, Math.ceil((pausedAt + limitMs - now) / 1000));
  return (
    <div
      role="status"
      className="flex flex-wrap items-center gap-3 rounded-xl border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900"
      data-testid="paused-banner"
      data-reason={reason}
    >
      <PauseCircle className="size-5" aria-hidden="true" />
      <p className="flex-1">
        <strong>Billing is stopped.</strong> {pauseReasonText(reason, role)}
        {secondsLeft !== null
          ? ` The session ends in ${Math.floor(secondsLeft / 60)}:${String(secondsLeft % 60).padStart(2, "0")} unless resumed.`
          : ""}
      </p>
      {reason === "insufficient_funds" && role === "client" ? <RoomTopUp /> : null}
      {reason === "insufficient_funds" && role === "advisor" ? (
        <Loader2 className="size-4 animate-spin motion-reduce:hidden" aria-hidden="true" />
      ) : null}
    </div>
  );
}
