"use client";

// The video part of the live session room.
// - provider "builtin" (no Stream keys, always the case offline): peer-to-peer WebRTC, signaling
//   relayed through Convex (convex/video.ts). Perfect negotiation with the advisor as the polite peer.
// - provider "stream": Stream Video, lazily loaded so the SDK never enters the built-in bundle path.
// The built-in signalling protocol is described in lib/webrtc/peerLink.ts.
import dynamic from "next/dynamic";
import { useMutation, useQuery } from "convex/react";
import { CameraOff, Loader2, PhoneOff, RefreshCw, Video } from "lucide-react";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/cn";
import { appErrorData, userMessage } from "@/lib/errors";
import {
  CallControls,
  callStatus,
  mediaErrorMessage,
  stopStream,
  VideoOverlay,
  VideoFrameMessage,
  type Phase,
} from "./videoParts";
import { useReportInCall } from "./useReportInCall";
import { PeerLink, parseIceServers, type LinkStatus, type SignalKind } from "@/lib/webrtc/peerLink";

export type SessionVideoProps = {
  sessionId: Id<"sessions">;
  provider: "builtin" | "stream";
  role: "client" | "advisor";
  viewerId: Id<"users">;
  counterpartName: string;
  /** The session is active or paused: the call may run. */
  live: boolean;
  /** true while media flows both ways; false when the viewer leaves, the connection is lost, or on unmount. */
  onInCallChange?: (inCall: boolean) => void;
};

const StreamSessionVideo = dynamic(() => import("./StreamSessionVideo"), {
  ssr: false,
  loading: () => <VideoFrameMessage icon={<Loader2 className="animate-spin" />} title="Loading video…" />,
});

export function SessionVideo(props: SessionVideoProps) {
  if (props.provider === "stream") {
    return (
      <StreamSessionVideo
        sessionId={props.sessionId}
        counterpartName={props.counterpartName}
        live={props.live}
        onInCallChange={props.onInCallChange}
      />
    );
  }
  return <BuiltinVideo {...props} />;
}

// ---------------------------------------------------------------------------------------------
// Built-in video UI
// ---------------------------------------------------------------------------------------------

/** Optional STUN/TURN servers (a JSON RTCIceServer[]); none by default. */
const ICE_SERVERS = parseIceServers(process.env.NEXT_PUBLIC_ICE_SERVERS);

function BuiltinVideo({ sessionId, role, counterpartName, live, onInCallChange }: SessionVideoProps) {
  const sendSignal = useMutation(api.video.signal);
  const [wantCall, setWantCall] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const [phase, setPhase] = useState<Phase>("starting");
  const [problem, setProblem] = useState<string | null>(null);
  const [status, setStatus] = useState<LinkStatus>("waiting");
  const [remotePlaying, setRemotePlaying] = useState(false);
  const [soundBlocked, setSoundBlocked] = useState(false);
  const [cameraOn, setCameraOn] = useState(true);
  const [micOn, setMicOn] = useState(true);
  const [cursor, setCursor] = useState<number | null>(null);

  const localVideo = useRef<HTMLVideoElement>(null);
  const remoteVideo = useRef<HTMLVideoElement>(null);
  const localStream = useRef<MediaStream | null>(null);
  const link = useRef<PeerLink | null>(null);
  const processedAt = useRef(0);
  const seen = useRef(new Set<string>());
  const sendRef = useRef(sendSignal);
  const toggles = useRef({ cameraOn, micOn });
  const liveRef = useRef(live);
  // Layout effect: updated before the join effect's cleanup runs, which reads `liveRef`.
  useLayoutEffect(() => {
    sendRef.current = sendSignal;
    toggles.current = { cameraOn, micOn };
    liveRef.current = live;
  });

  const active = live && wantCall;

  // Join: camera and microphone, announce, then connect. Re-runs on retry/rejoin; cleans up on leave,
  // on the session ending and on unmount (stops the camera, says goodbye).
  useEffect(() => {
    if (!active) return;
    let cancelled = false;
    let joined = false;
    let stream: MediaStream | null = null;
    let peer: PeerLink | null = null;
    let outbox: Promise<void> = Promise.resolve();
    const polite = role === "advisor";
    const localEl = localVideo.current;
    const remoteEl = remoteVideo.current;

    const send = (kind: SignalKind, payload: string) => {
      // One at a time, so the other side reads them in the order they were made.
      outbox = outbox.then(async () => {
        if (cancelled && kind !== "hangup") return;
        try {
          await sendRef.current({ sessionId, kind, payload });
        } catch (error) {
          if (cancelled) return;
          const data = appErrorData(error);
          if (data?.code === "RATE_LIMITED" || data?.code === "CONFLICT") {
            setProblem(data.message);
            setPhase("call_error");
          } else {
            console.warn("video: could not send a signal", error);
          }
        }
      });
      return outbox;
    };

    const start = async () => {
      setPhase("starting");
      setProblem(null);
      setStatus("waiting");
      setRemotePlaying(false);
      try {
        if (!navigator.mediaDevices?.getUserMedia) throw new TypeError("getUserMedia unavailable");
        stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      } catch (error) {
        if (cancelled) return;
        setProblem(mediaErrorMessage(error));
        setPhase("media_error");
        return;
      }
      if (cancelled) {
        stopStream(stream);
        return;
      }
      for (const track of stream.getVideoTracks()) track.enabled = toggles.current.cameraOn;
      for (const track of stream.getAudioTracks()) track.enabled = toggles.current.micOn;
      localStream.current = stream;
      if (localEl) localEl.srcObject = stream;

      let joinedAt: number;
      try {
        joinedAt = (
          await sendRef.current({
            sessionId,
            kind: "hangup",
            payload: JSON.stringify({ from: "", to: null, reason: "join" }),
          })
        ).createdAt;
        joined = true;
      } catch (error) {
        if (cancelled) return;
        setProblem(userMessage(error));
        setPhase("call_error");
        return;
      }
      if (cancelled) {
        void send("hangup", JSON.stringify({ from: "", to: null, reason: "leave" }));
        return;
      }
      peer = new PeerLink(
        stream,
        polite,
        {
          send,
          onStatus: (next) => {
            if (!cancelled) setStatus(next);
          },
          onRemoteStream: (remote) => {
            if (cancelled) return;
            const video = remoteEl;
            if (!video) return;
            if (remote === null) {
              video.srcObject = null;
              setRemotePlaying(false);
              return;
            }
            if (video.srcObject === remote) return;
            video.srcObject = remote;
            video.muted = false;
            video.play().catch((error: unknown) => {
              // Autoplay with sound blocked: play muted and offer a button to turn the sound on.
              if (error instanceof DOMException && error.name === "NotAllowedError") {
                video.muted = true;
                setSoundBlocked(true);
                void video.play().catch(() => undefined);
              }
            });
          },
        },
        { iceServers: ICE_SERVERS },
      );
      link.current = peer;
      seen.current = new Set();
      processedAt.current = joinedAt;
      setCursor(joinedAt);
      setPhase("in_call");
    };

    // Deferred one tick so a mount immediately undone (React Strict Mode) never touches the camera.
    const timer = setTimeout(() => void start(), 0);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      peer?.close();
      if (link.current === peer) link.current = null;
      stopStream(stream);
      if (localStream.current === stream) localStream.current = null;
      if (localEl) localEl.srcObject = null;
      if (remoteEl) remoteEl.srcObject = null;
      // Say goodbye unless the session is over (the server refuses signals then; the other side stops too).
      if (joined && liveRef.current) void send("hangup", JSON.stringify({ from: "", to: null, reason: "leave" }));
      setCursor(null);
      setRemotePlaying(false);
      setSoundBlocked(false);
    };
  }, [active, attempt, role, sessionId]);

  // Signals addressed to us, after the last one handled.
  const batch = useQuery(api.video.signals, cursor === null ? "skip" : { sessionId, afterCreatedAt: cursor });
  useEffect(() => {
    const peer = link.current;
    if (!batch || batch.length === 0 || peer === null) return;
    for (const signal of batch) {
      if (signal.createdAt <= processedAt.current || seen.current.has(signal._id)) continue;
      seen.current.add(signal._id);
      processedAt.current = signal.createdAt;
      peer.receive(signal.kind, signal.payload);
    }
    setCursor(processedAt.current);
  }, [batch]);

  // Camera and microphone toggles act on the tracks (no renegotiation).
  useEffect(() => {
    for (const track of localStream.current?.getVideoTracks() ?? []) track.enabled = cameraOn;
    for (const track of localStream.current?.getAudioTracks() ?? []) track.enabled = micOn;
  }, [cameraOn, micOn, phase]);

  // Liveness for the room: in the call while media flows.
  const inCall = active && phase === "in_call" && status === "connected" && remotePlaying;
  useReportInCall(inCall, onInCallChange);

  const retry = useCallback(() => {
    setWantCall(true);
    setAttempt((n) => n + 1);
  }, []);

  const turnSoundOn = () => {
    const video = remoteVideo.current;
    if (!video) return;
    video.muted = false;
    void video
      .play()
      .then(() => setSoundBlocked(false))
      .catch(() => undefined);
  };

  const { statusText, statusTone } = callStatus({ live, wantCall, phase, status, remotePlaying, counterpartName });
  const showControls = active && phase === "in_call";

  return (
    <div className="flex w-full flex-col gap-3" data-provider="builtin">
      <div className="relative aspect-[3/4] max-h-[70vh] w-full overflow-hidden rounded-xl bg-slate-900 sm:aspect-video">
        <video
          ref={remoteVideo}
          data-testid="remote-video"
          data-state={remotePlaying && status === "connected" ? "connected" : remotePlaying ? "stalled" : "waiting"}
          aria-label={`${counterpartName}'s video`}
          autoPlay
          playsInline
          onPlaying={() => setRemotePlaying(true)}
          className={cn("absolute inset-0 h-full w-full object-contain", !(active && remotePlaying) && "invisible")}
        />

        {active && phase === "in_call" && !remotePlaying ? (
          <VideoOverlay>
            {status === "waiting" ? null : <Loader2 className="size-6 animate-spin" aria-hidden="true" />}
            <p className="text-sm text-slate-200">{statusText}</p>
          </VideoOverlay>
        ) : null}
        {active && phase === "starting" ? (
          <VideoOverlay>
            <Loader2 className="size-6 animate-spin" aria-hidden="true" />
            <p className="text-sm text-slate-200">Starting your camera and microphone…</p>
          </VideoOverlay>
        ) : null}
        {active && (phase === "media_error" || phase === "call_error") ? (
          <VideoOverlay>
            <CameraOff className="size-7 text-amber-300" aria-hidden="true" />
            <p role="alert" className="max-w-sm text-sm text-slate-100">
              {problem}
            </p>
            <Button variant="secondary" size="sm" onClick={retry}>
              <RefreshCw /> Try again
            </Button>
          </VideoOverlay>
        ) : null}
        {live && !wantCall ? (
          <VideoOverlay>
            <PhoneOff className="size-7 text-slate-300" aria-hidden="true" />
            <p className="text-sm text-slate-100">You left the call. Your camera and microphone are off.</p>
            <Button size="sm" onClick={retry}>
              <Video /> Rejoin call
            </Button>
          </VideoOverlay>
        ) : null}
        {!live ? (
          <VideoOverlay>
            <PhoneOff className="size-7 text-slate-300" aria-hidden="true" />
            <p className="text-sm text-slate-100">The call is over. Your camera and microphone are off.</p>
          </VideoOverlay>
        ) : null}

        <div
          className="absolute left-2 top-2 flex items-center gap-2 rounded-full bg-black/55 px-2.5 py-1 text-xs font-medium text-white"
          role="status"
          aria-live="polite"
          data-testid="video-status"
        >
          <span className={cn("size-2 rounded-full", statusTone)} aria-hidden="true" />
          {statusText}
        </div>

        <div
          className={cn(
            "absolute bottom-2 right-2 aspect-[3/4] w-20 overflow-hidden rounded-lg border border-white/30 bg-slate-800 shadow-lg sm:bottom-3 sm:right-3 sm:aspect-video sm:w-44",
            !(active && phase === "in_call") && "hidden",
          )}
        >
          <video
            ref={localVideo}
            data-testid="local-video"
            aria-label="Your camera"
            autoPlay
            playsInline
            muted
            className={cn("h-full w-full -scale-x-100 object-cover", !cameraOn && "invisible")}
          />
          {!cameraOn ? (
            <div className="absolute inset-0 flex items-center justify-center text-slate-300">
              <CameraOff className="size-5" aria-hidden="true" />
              <span className="sr-only">Your camera is off</span>
            </div>
          ) : null}
        </div>
      </div>

      {showControls ? (
        <CallControls
          micOn={micOn}
          cameraOn={cameraOn}
          soundBlocked={soundBlocked}
          onToggleMic={() => setMicOn((on) => !on)}
          onToggleCamera={() => setCameraOn((on) => !on)}
          onSoundOn={turnSoundOn}
          onLeave={() => setWantCall(false)}
        />
      ) : null}
    </div>
  );
}
