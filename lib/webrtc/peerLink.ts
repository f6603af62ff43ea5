// One side of a built-in (peer-to-peer) video call: perfect negotiation over an RTCPeerConnection, with the
// signals relayed by the caller (convex/video.ts in the app). Framework-free; the UI is
// components/session/SessionVideo.tsx.
//
// Built-in signaling protocol (each signal is addressed to the other party, read oldest first):
// - Joining, a side first sends `hangup` {reason:"join"} and reads only what arrives after it, so it
//   never acts on signals meant for an earlier call attempt. The side already in the call drops its
//   connection on seeing it and starts fresh.
// - The client creates its peer connection when it joins (or sees the advisor join) and makes the
//   offer; the advisor creates its connection when an offer arrives. Both run the perfect-negotiation
//   handlers, so a renegotiation from either side (or glare) is still resolved.
// - Every payload carries the sender's connection id (`from`) and, when known, the receiver's (`to`);
//   answers and candidates meant for a closed connection are dropped.
// - Leaving, a side sends `hangup` {reason:"leave"}; the other side closes its connection and waits.
// - On ICE failure the client restarts ICE (bounded); the advisor waits for the new offer.

export type SignalKind = "offer" | "answer" | "candidate" | "hangup";
export type LinkStatus = "waiting" | "connecting" | "connected" | "reconnecting";
export type Envelope = {
  from: string;
  to: string | null;
  description?: RTCSessionDescriptionInit;
  candidates?: RTCIceCandidateInit[];
  reason?: "join" | "leave";
};

const CANDIDATE_FLUSH_MS = 120;
const MAX_ICE_RESTARTS = 4;
const DISCONNECTED_GRACE_MS = 4_000;

function newConnectionId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** STUN/TURN servers from a JSON RTCIceServer[] (NEXT_PUBLIC_ICE_SERVERS in the app); none when absent or invalid. */
export function parseIceServers(raw: string | undefined): RTCIceServer[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (s): s is RTCIceServer =>
        typeof s === "object" &&
        s !== null &&
        (typeof (s as RTCIceServer).urls === "string" || Array.isArray((s as RTCIceServer).urls)),
    );
  } catch {
    console.warn("NEXT_PUBLIC_ICE_SERVERS is not valid JSON; using no ICE servers.");
    return [];
  }
}

export type LinkEvents = {
  send: (kind: SignalKind, payload: string) => Promise<void>;
  onStatus: (status: LinkStatus) => void;
  onRemoteStream: (stream: MediaStream | null) => void;
};

export type LinkOptions = {
  iceServers?: RTCIceServer[];
  /** Seams for tests (a fake RTCPeerConnection); the browser's constructors by default. */
  createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
  createMediaStream?: (tracks: MediaStreamTrack[]) => MediaStream;
};

/** One side of the call: owns the RTCPeerConnection (recreated per connection attempt). */
export class PeerLink {
  private pc: RTCPeerConnection | null = null;
  private id = "";
  private remoteId: string | null = null;
  private makingOffer = false;
  private ignoreOffer = false;
  private settingRemoteAnswer = false;
  private wasConnected = false;
  private restarts = 0;
  private pendingCandidates: RTCIceCandidateInit[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private disconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private inbox: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly iceServers: RTCIceServer[];
  private readonly createPeerConnection: (config: RTCConfiguration) => RTCPeerConnection;
  private readonly createMediaStream: (tracks: MediaStreamTrack[]) => MediaStream;

  constructor(
    private readonly stream: MediaStream,
    private readonly polite: boolean,
    private readonly events: LinkEvents,
    options: LinkOptions = {},
  ) {
    this.iceServers = options.iceServers ?? [];
    this.createPeerConnection = options.createPeerConnection ?? ((config) => new RTCPeerConnection(config));
    this.createMediaStream = options.createMediaStream ?? ((tracks) => new MediaStream(tracks));
    // The client starts the call; the advisor waits for its offer.
    if (!polite) this.open();
  }

  /** Queues one received signal; signals are handled strictly in order. */
  receive(kind: SignalKind, payload: string) {
    this.inbox = this.inbox
      .then(() => this.handle(kind, payload))
      .catch((error: unknown) => console.warn("video: could not apply a signal", error));
  }

  close() {
    this.closed = true;
    this.drop();
  }

  private open() {
    this.drop();
    const pc = this.createPeerConnection({ iceServers: this.iceServers });
    this.pc = pc;
    this.id = newConnectionId();
    this.remoteId = null;
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.settingRemoteAnswer = false;
    this.wasConnected = false;
    this.restarts = 0;
    for (const track of this.stream.getTracks()) pc.addTrack(track, this.stream);

    pc.onnegotiationneeded = async () => {
      // The advisor never opens a call; it only renegotiates one it has answered.
      if (this.polite && pc.currentRemoteDescription === null) return;
      try {
        this.makingOffer = true;
        await pc.setLocalDescription();
        if (this.pc !== pc || !pc.localDescription) return;
        this.post("offer", { description: pc.localDescription.toJSON() as RTCSessionDescriptionInit });
      } catch (error) {
        console.warn("video: could not create an offer", error);
      } finally {
        this.makingOffer = false;
      }
    };
    pc.onicecandidate = ({ candidate }) => {
      if (this.pc !== pc) return;
      if (candidate) {
        this.pendingCandidates.push(candidate.toJSON());
        this.flushTimer ??= setTimeout(() => this.flushCandidates(), CANDIDATE_FLUSH_MS);
      } else {
        this.flushCandidates();
      }
    };
    pc.ontrack = ({ track, streams }) => {
      if (this.pc !== pc) return;
      const remote = streams[0] ?? this.createMediaStream([track]);
      this.events.onRemoteStream(remote);
    };
    pc.onconnectionstatechange = () => {
      if (this.pc !== pc) return;
      this.onConnectionState(pc);
    };
  }

  /** Closes the current connection (if any) without sending anything. */
  private drop() {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.disconnectTimer) clearTimeout(this.disconnectTimer);
    this.flushTimer = null;
    this.disconnectTimer = null;
    this.pendingCandidates = [];
    const pc = this.pc;
    this.pc = null;
    this.remoteId = null;
    if (pc) {
      pc.onnegotiationneeded = null;
      pc.onicecandidate = null;
      pc.ontrack = null;
      pc.onconnectionstatechange = null;
      pc.close();
      this.events.onRemoteStream(null);
    }
  }

  private post(kind: SignalKind, body: Omit<Envelope, "from" | "to">) {
    if (this.closed) return;
    const envelope: Envelope = { from: this.id, to: this.remoteId, ...body };
    void this.events.send(kind, JSON.stringify(envelope));
  }

  private flushCandidates() {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.pendingCandidates.length === 0) return;
    const candidates = this.pendingCandidates;
    this.pendingCandidates = [];
    this.post("candidate", { candidates });
  }

  private onConnectionState(pc: RTCPeerConnection) {
    const state = pc.connectionState;
    if (state === "connected") {
      this.wasConnected = true;
      this.restarts = 0;
      if (this.disconnectTimer) clearTimeout(this.disconnectTimer);
      this.disconnectTimer = null;
      this.events.onStatus("connected");
    } else if (state === "connecting" || state === "new") {
      this.events.onStatus(this.wasConnected ? "reconnecting" : "connecting");
    } else if (state === "disconnected") {
      this.events.onStatus("reconnecting");
      // Often recovers by itself; if not, restart ICE (client side).
      this.disconnectTimer ??= setTimeout(() => {
        this.disconnectTimer = null;
        if (this.pc === pc && pc.connectionState === "disconnected") this.restartIce(pc);
      }, DISCONNECTED_GRACE_MS);
    } else if (state === "failed") {
      this.events.onStatus("reconnecting");
      this.restartIce(pc);
    }
  }

  private restartIce(pc: RTCPeerConnection) {
    // The impolite side (client) drives recovery; the advisor answers its new offer.
    if (this.polite || this.restarts >= MAX_ICE_RESTARTS) return;
    this.restarts += 1;
    pc.restartIce();
  }

  private async handle(kind: SignalKind, payload: string) {
    if (this.closed) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload) as Envelope;
    } catch {
      return;
    }
    if (typeof envelope !== "object" || envelope === null) return;

    if (kind === "hangup") {
      this.drop();
      if (envelope.reason === "join") {
        // The other side (re)joined: whatever we had is stale. The client calls again.
        this.events.onStatus("connecting");
        if (!this.polite) this.open();
      } else {
        // They left: wait for them to join again (their join triggers a fresh call).
        this.events.onStatus("waiting");
      }
      return;
    }

    // Meant for an earlier connection of ours.
    if (envelope.to !== null && envelope.to !== undefined && envelope.to !== this.id) return;

    if (kind === "offer" || kind === "answer") {
      const description = envelope.description;
      if (!description || description.type !== kind) return;
      if (kind === "offer") {
        // A new connection on the other side replaces ours.
        if (this.pc === null || (this.remoteId !== null && this.remoteId !== envelope.from)) this.open();
      } else if (this.pc === null || (this.remoteId !== null && this.remoteId !== envelope.from)) {
        return;
      }
      const pc = this.pc;
      if (pc === null) return;
      const readyForOffer = !this.makingOffer && (pc.signalingState === "stable" || this.settingRemoteAnswer);
      const offerCollision = kind === "offer" && !readyForOffer;
      this.ignoreOffer = !this.polite && offerCollision;
      if (this.ignoreOffer) return;
      if (kind === "answer" && pc.signalingState !== "have-local-offer") return; // stale answer
      this.remoteId = envelope.from;
      if (!this.wasConnected) this.events.onStatus("connecting");
      this.settingRemoteAnswer = kind === "answer";
      try {
        await pc.setRemoteDescription(description);
      } finally {
        this.settingRemoteAnswer = false;
      }
      if (kind === "offer") {
        await pc.setLocalDescription();
        if (this.pc !== pc || !pc.localDescription) return;
        this.post("answer", { description: pc.localDescription.toJSON() as RTCSessionDescriptionInit });
      }
      return;
    }

    if (kind === "candidate") {
      const pc = this.pc;
      if (pc === null || envelope.from !== this.remoteId || !Array.isArray(envelope.candidates)) return;
      for (const candidate of envelope.candidates) {
        try {
          await pc.addIceCandidate(candidate);
        } catch (error) {
          if (!this.ignoreOffer) console.warn("video: could not add an ICE candidate", error);
        }
      }
    }
  }
}
