import { Camera, CameraOff, Mic, MicOff, PhoneOff, Volume2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import type { ReactNode } from "react";
import type { LinkStatus } from "@/lib/webrtc/peerLink";

// Pieces of the built-in video UI (SessionVideo.tsx): camera errors in words, stream cleanup, the status line,
// overlays.

export type Phase = "starting" | "media_error" | "call_error" | "in_call";

/** The status line over the built-in call: its words and the colour of its dot. */
export function callStatus({
  live,
  wantCall,
  phase,
  status,
  remotePlaying,
  counterpartName,
}: {
  live: boolean;
  wantCall: boolean;
  phase: Phase;
  status: LinkStatus;
  remotePlaying: boolean;
  counterpartName: string;
}): { statusText: string; statusTone: string } {
  const active = live && wantCall;
  const inCall = active && phase === "in_call" && status === "connected" && remotePlaying;
  const statusText = !live
    ? "Call ended"
    : !wantCall
      ? "You left the call"
      : phase === "starting"
        ? "Starting your camera…"
        : phase !== "in_call"
          ? "Not connected"
          : status === "connected"
            ? remotePlaying
              ? "Connected"
              : "Connecting…"
            : status === "reconnecting"
              ? "Reconnecting…"
              : status === "connecting"
                ? "Connecting…"
                : `Waiting for ${counterpartName} to join…`;
  const statusTone = inCall
    ? "bg-emerald-500"
    : status === "reconnecting" && active && phase === "in_call"
      ? "bg-amber-400"
      : "bg-slate-400";
  return { statusText, statusTone };
}

export function mediaErrorMessage(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : "";
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return "Your browser is blocking the camera and microphone for this site. Click the camera icon (or the lock) in the address bar, choose Allow for both the camera and the microphone, then press Try again.";
    case "NotFoundError":
    case "OverconstrainedError":
      return "We could not find a camera or microphone. Plug one in (or switch it on in your system settings), then press Try again.";
    case "NotReadableError":
    case "AbortError":
      return "Your camera or microphone is being used by another app or browser tab (for example another video call). Close it, then press Try again.";
    case "TypeError":
      return "Video calls need a secure (https) page and a browser with camera support.";
    default:
      return "We could not start your camera and microphone. Check that they are connected and allowed, then press Try again.";
  }
}

export function stopStream(stream: MediaStream | null) {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

export function VideoOverlay({ children }: { children: ReactNode }) {
  return (
    <div className="absolute inset-0 flex flex-col items-center justify-center gap-3 p-4 text-center">{children}</div>
  );
}

export function VideoFrameMessage({ icon, title }: { icon: ReactNode; title: string }) {
  return (
    <div className="flex aspect-[3/4] max-h-[70vh] w-full flex-col items-center justify-center gap-3 rounded-xl bg-slate-900 p-4 text-center text-slate-200 sm:aspect-video [&_svg]:size-6">
      {icon}
      <p className="text-sm">{title}</p>
    </div>
  );
}

/** Mute, camera, sound and leave buttons under the call. */
export function CallControls({
  micOn,
  cameraOn,
  soundBlocked,
  onToggleMic,
  onToggleCamera,
  onSoundOn,
  onLeave,
}: {
  micOn: boolean;
  cameraOn: boolean;
  soundBlocked: boolean;
  onToggleMic: () => void;
  onToggleCamera: () => void;
  onSoundOn: () => void;
  onLeave: () => void;
}) {
  return (
    <div className="flex flex-wrap items-center justify-center gap-2">
      <Button
        variant={micOn ? "secondary" : "danger"}
        size="sm"
        aria-pressed={!micOn}
        aria-label={micOn ? "Mute microphone" : "Unmute microphone"}
        onClick={onToggleMic}
      >
        {micOn ? <Mic /> : <MicOff />}
        <span>{micOn ? "Mute" : "Unmute"}</span>
      </Button>
      <Button
        variant={cameraOn ? "secondary" : "danger"}
        size="sm"
        aria-pressed={!cameraOn}
        aria-label={cameraOn ? "Turn camera off" : "Turn camera on"}
        onClick={onToggleCamera}
      >
        {cameraOn ? <Camera /> : <CameraOff />}
        <span>{cameraOn ? "Camera off" : "Camera on"}</span>
      </Button>
      {soundBlocked ? (
        <Button variant="secondary" size="sm" onClick={onSoundOn}>
          <Volume2 /> Turn sound on
        </Button>
      ) : null}
      <Button variant="danger" size="sm" onClick={onLeave}>
        <PhoneOff /> Leave call
      </Button>
    </div>
  );
}
