"use client";

// Stream Video adapter for the session room (provider "stream"). Loaded lazily by SessionVideo so the
// SDK stays out of the built-in path. Credentials come from POST /api/stream/token.
import "@stream-io/video-react-sdk/dist/css/styles.css";
import {
  CallControls,
  CallingState,
  SpeakerLayout,
  StreamCall,
  StreamTheme,
  StreamVideo,
  StreamVideoClient,
  useCallStateHooks,
  type Call,
} from "@stream-io/video-react-sdk";
import { Loader2, PhoneOff, RefreshCw, Video } from "lucide-react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";

export type StreamSessionVideoProps = {
  sessionId: Id<"sessions">;
  counterpartName: string;
  live: boolean;
  onInCallChange?: (inCall: boolean) => void;
};

type StreamCredentials = { apiKey: string; userId: string; token: string; callType: string; callId: string };

async function fetchCredentials(sessionId: Id<"sessions">): Promise<StreamCredentials> {
  const response = await fetch("/api/stream/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sessionId }),
  }).catch(() => null);
  if (!response)
    throw new Error("Could not reach the server to start the video call. Check your connection and try again.");
  const data = (await response.json().catch(() => ({}))) as Partial<StreamCredentials> & {
    error?: { message?: string };
  };
  if (!response.ok) throw new Error(data.error?.message ?? "Could not start the video call.");
  const { apiKey, userId, token, callType, callId } = data;
  if (!apiKey || !userId || !token || !callType || !callId)
    throw new Error("The video service sent incomplete credentials.");
  return { apiKey, userId, token, callType, callId };
}

type Joined = { client: StreamVideoClient; call: Call };

export default function StreamSessionVideo({
  sessionId,
  counterpartName,
  live,
  onInCallChange,
}: StreamSessionVideoProps) {
  const [joined, setJoined] = useState<{ attempt: number; value: Joined } | null>(null);
  const [failure, setFailure] = useState<{ attempt: number; message: string } | null>(null);
  const [wantCall, setWantCall] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const onInCallRef = useRef(onInCallChange);
  const reported = useRef(false);
  useEffect(() => {
    onInCallRef.current = onInCallChange;
  });
  const report = (inCall: boolean) => {
    if (reported.current === inCall) return;
    reported.current = inCall;
    onInCallRef.current?.(inCall);
  };
  const reportRef = useRef(report);
  useEffect(() => {
    reportRef.current = report;
  });

  const active = live && wantCall;

  useEffect(() => {
    if (!active) return;
    let cancelled = false;
    let client: StreamVideoClient | null = null;
    let call: Call | null = null;
    const run = async () => {
      try {
        const credentials = await fetchCredentials(sessionId);
        if (cancelled) return;
        client = new StreamVideoClient({
          apiKey: credentials.apiKey,
          user: { id: credentials.userId },
          token: credentials.token,
          tokenProvider: async () => (await fetchCredentials(sessionId)).token,
        });
        call = client.call(credentials.callType, credentials.callId);
        await call.join({ create: true });
        if (cancelled) return;
        setJoined({ attempt, value: { client, call } });
      } catch (error) {
        if (cancelled) return;
        setFailure({ attempt, message: error instanceof Error ? error.message : "Could not start the video call." });
      }
    };
    void run();
    return () => {
      cancelled = true;
      reportRef.current(false);
      const leaving = call;
      const disconnecting = client;
      void (async () => {
        if (leaving && leaving.state.callingState !== CallingState.LEFT) await leaving.leave().catch(() => undefined);
        await disconnecting?.disconnectUser().catch(() => undefined);
      })();
    };
  }, [active, attempt, sessionId]);

  useEffect(
    () => () => {
      reportRef.current(false);
    },
    [],
  );

  const current = joined?.attempt === attempt ? joined.value : null;
  const problem = failure?.attempt === attempt ? failure.message : null;
  const retry = () => {
    setWantCall(true);
    setAttempt((n) => n + 1);
  };

  if (!live) {
    return (
      <Frame>
        <PhoneOff className="size-7 text-slate-300" aria-hidden="true" />
        <p className="text-sm text-slate-100" data-testid="video-status">
          The call is over.
        </p>
      </Frame>
    );
  }
  if (!wantCall) {
    return (
      <Frame>
        <PhoneOff className="size-7 text-slate-300" aria-hidden="true" />
        <p className="text-sm text-slate-100" data-testid="video-status">
          You left the call.
        </p>
        <Button size="sm" onClick={retry}>
          <Video /> Rejoin call
        </Button>
      </Frame>
    );
  }
  if (problem) {
    return (
      <Frame>
        <p role="alert" className="max-w-sm text-sm text-slate-100" data-testid="video-status">
          {problem}
        </p>
        <Button variant="secondary" size="sm" onClick={retry}>
          <RefreshCw /> Try again
        </Button>
      </Frame>
    );
  }
  if (!current) {
    return (
      <Frame>
        <Loader2 className="size-6 animate-spin" aria-hidden="true" />
        <p className="text-sm text-slate-200" data-testid="video-status">
          Connecting…
        </p>
      </Frame>
    );
  }
  return (
    <div className="w-full overflow-hidden rounded-xl bg-slate-900" data-provider="stream">
      <StreamVideo client={current.client}>
        <StreamCall call={current.call}>
          <StreamTheme>
            <CallBody
              counterpartName={counterpartName}
              onInCallChange={(inCall) => reportRef.current(inCall)}
              onLeave={() => setWantCall(false)}
            />
          </StreamTheme>
        </StreamCall>
      </StreamVideo>
    </div>
  );
}

function CallBody({
  counterpartName,
  onInCallChange,
  onLeave,
}: {
  counterpartName: string;
  onInCallChange: (inCall: boolean) => void;
  onLeave: () => void;
}) {
  const { useCallCallingState, useRemoteParticipants } = useCallStateHooks();
  const callingState = useCallCallingState();
  const remote = useRemoteParticipants();
  const inCall = callingState === CallingState.JOINED && remote.length > 0;
  const onChange = useRef(onInCallChange);
  useEffect(() => {
    onChange.current = onInCallChange;
  });
  useEffect(() => {
    onChange.current(inCall);
  }, [inCall]);

  const status =
    callingState === CallingState.RECONNECTING ||
    callingState === CallingState.MIGRATING ||
    callingState === CallingState.OFFLINE
      ? "Reconnecting…"
      : callingState !== CallingState.JOINED
        ? "Connecting…"
        : remote.length === 0
          ? `Waiting for ${counterpartName} to join…`
          : "Connected";
  return (
    <div className="flex flex-col gap-2 p-2">
      <p role="status" aria-live="polite" className="text-xs font-medium text-slate-200" data-testid="video-status">
        {status}
      </p>
      <SpeakerLayout participantsBarPosition="bottom" />
      <CallControls onLeave={onLeave} />
    </div>
  );
}

function Frame({ children }: { children: ReactNode }) {
  return (
    <div className="flex aspect-[3/4] max-h-[70vh] w-full flex-col items-center justify-center gap-3 rounded-xl bg-slate-900 p-4 text-center text-slate-200 sm:aspect-video">
      {children}
    </div>
  );
}
