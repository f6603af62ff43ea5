// lib/webrtc/peerLink.ts against a fake RTCPeerConnection: perfect negotiation, addressing by connection id,
// candidate batching, hangups and bounded ICE restarts.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PeerLink, parseIceServers, type Envelope, type LinkStatus, type SignalKind } from "@/lib/webrtc/peerLink";

class FakePeerConnection {
  static created: FakePeerConnection[] = [];
  localDescription: { type: RTCSdpType; sdp: string; toJSON: () => RTCSessionDescriptionInit } | null = null;
  currentRemoteDescription: RTCSessionDescriptionInit | null = null;
  signalingState: RTCSignalingState = "stable";
  connectionState: RTCPeerConnectionState = "new";
  onnegotiationneeded: (() => Promise<void> | void) | null = null;
  onicecandidate: ((event: { candidate: { toJSON: () => RTCIceCandidateInit } | null }) => void) | null = null;
  ontrack: ((event: { track: MediaStreamTrack; streams: MediaStream[] }) => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  tracks: MediaStreamTrack[] = [];
  addedCandidates: RTCIceCandidateInit[] = [];
  restarts = 0;
  closed = false;

  constructor(readonly config: RTCConfiguration) {
    FakePeerConnection.created.push(this);
  }
  addTrack(track: MediaStreamTrack) {
    this.tracks.push(track);
  }
  async setLocalDescription() {
    const type: RTCSdpType = this.signalingState === "have-remote-offer" ? "answer" : "offer";
    const sdp = `${type}-${FakePeerConnection.created.indexOf(this)}`;
    this.localDescription = { type, sdp, toJSON: () => ({ type, sdp }) };
    this.signalingState = type === "offer" ? "have-local-offer" : "stable";
  }
  async setRemoteDescription(description: RTCSessionDescriptionInit) {
    this.currentRemoteDescription = description;
    this.signalingState = description.type === "offer" ? "have-remote-offer" : "stable";
  }
  async addIceCandidate(candidate: RTCIceCandidateInit) {
    this.addedCandidates.push(candidate);
  }
  restartIce() {
    this.restarts += 1;
  }
  close() {
    this.closed = true;
  }
  setConnectionState(state: RTCPeerConnectionState) {
    this.connectionState = state;
    this.onconnectionstatechange?.();
  }
}

type Sent = { kind: SignalKind; envelope: Envelope };

function makeLink(polite: boolean) {
  const sent: Sent[] = [];
  const statuses: LinkStatus[] = [];
  const remoteStreams: (MediaStream | null)[] = [];
  const track = { kind: "video" } as MediaStreamTrack;
  const stream = { getTracks: () => [track] } as unknown as MediaStream;
  const link = new PeerLink(
    stream,
    polite,
    {
      send: async (kind, payload) => {
        sent.push({ kind, envelope: JSON.parse(payload) as Envelope });
      },
      onStatus: (status) => statuses.push(status),
      onRemoteStream: (remote) => remoteStreams.push(remote),
    },
    {
      iceServers: [{ urls: "stun:stun.example" }],
      createPeerConnection: (config) => new FakePeerConnection(config) as unknown as RTCPeerConnection,
      createMediaStream: (tracks) => ({ tracks }) as unknown as MediaStream,
    },
  );
  return { link, sent, statuses, remoteStreams, track };
}

const pcs = () => FakePeerConnection.created;
const lastPc = () => pcs().at(-1)!;
const settle = () => vi.advanceTimersByTimeAsync(0);
const payload = (envelope: Envelope) => JSON.stringify(envelope);

beforeEach(() => {
  vi.useFakeTimers();
  FakePeerConnection.created = [];
});
afterEach(() => {
  vi.useRealTimers();
});

describe("PeerLink", () => {
  it("the client (impolite) opens a connection with the local tracks and offers, addressed to nobody yet", async () => {
    const { sent, track } = makeLink(false);
    expect(pcs()).toHaveLength(1);
    expect(lastPc().config.iceServers).toEqual([{ urls: "stun:stun.example" }]);
    expect(lastPc().tracks).toEqual([track]);
    await lastPc().onnegotiationneeded?.();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.kind).toBe("offer");
    expect(sent[0]!.envelope.to).toBeNull();
    expect(sent[0]!.envelope.description?.type).toBe("offer");
    expect(typeof sent[0]!.envelope.from).toBe("string");
  });

  it("the advisor (polite) opens nothing until an offer arrives, then answers the offer's sender", async () => {
    const { link, sent, statuses } = makeLink(true);
    expect(pcs()).toHaveLength(0);
    // Polite side never starts a call by itself.
    link.receive("offer", payload({ from: "client-1", to: null, description: { type: "offer", sdp: "o" } }));
    await settle();
    expect(pcs()).toHaveLength(1);
    expect(lastPc().currentRemoteDescription).toEqual({ type: "offer", sdp: "o" });
    expect(sent.map((s) => s.kind)).toEqual(["answer"]);
    expect(sent[0]!.envelope.to).toBe("client-1");
    expect(statuses).toContain("connecting");
  });

  it("drops answers meant for another connection and answers that do not follow an offer", async () => {
    const { link, sent } = makeLink(false);
    const pc = lastPc();
    await pc.onnegotiationneeded?.();
    const myId = sent[0]!.envelope.from;
    link.receive("answer", payload({ from: "adv", to: "someone-else", description: { type: "answer", sdp: "a" } }));
    await settle();
    expect(pc.currentRemoteDescription).toBeNull();
    link.receive("answer", payload({ from: "adv", to: myId, description: { type: "answer", sdp: "a" } }));
    await settle();
    expect(pc.currentRemoteDescription).toEqual({ type: "answer", sdp: "a" });
    expect(pc.signalingState).toBe("stable");
    // A second (stale) answer in the stable state is ignored.
    link.receive("answer", payload({ from: "adv", to: myId, description: { type: "answer", sdp: "late" } }));
    await settle();
    expect(pc.currentRemoteDescription).toEqual({ type: "answer", sdp: "a" });
  });

  it("the impolite side ignores a colliding offer; the polite side accepts it", async () => {
    const client = makeLink(false);
    const clientPc = lastPc();
    await clientPc.onnegotiationneeded?.();
    expect(clientPc.signalingState).toBe("have-local-offer");
    client.link.receive("offer", payload({ from: "adv", to: null, description: { type: "offer", sdp: "glare" } }));
    await settle();
    expect(clientPc.currentRemoteDescription).toBeNull();
    expect(client.sent.map((s) => s.kind)).toEqual(["offer"]);
  });

  it("batches ICE candidates into one signal and applies only the remote connection's candidates", async () => {
    const { link, sent } = makeLink(true);
    link.receive("offer", payload({ from: "client-1", to: null, description: { type: "offer", sdp: "o" } }));
    await settle();
    const pc = lastPc();
    pc.onicecandidate?.({ candidate: { toJSON: () => ({ candidate: "c1" }) } });
    pc.onicecandidate?.({ candidate: { toJSON: () => ({ candidate: "c2" }) } });
    expect(sent.filter((s) => s.kind === "candidate")).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(200);
    const batches = sent.filter((s) => s.kind === "candidate");
    expect(batches).toHaveLength(1);
    expect(batches[0]!.envelope.candidates).toEqual([{ candidate: "c1" }, { candidate: "c2" }]);

    link.receive("candidate", payload({ from: "intruder", to: null, candidates: [{ candidate: "x" }] }));
    link.receive("candidate", payload({ from: "client-1", to: null, candidates: [{ candidate: "r1" }] }));
    await settle();
    expect(pc.addedCandidates).toEqual([{ candidate: "r1" }]);
  });

  it("on the other side's join the client starts a fresh connection; on leave it waits", async () => {
    const { link, statuses, remoteStreams } = makeLink(false);
    const first = lastPc();
    link.receive("hangup", payload({ from: "adv", to: null, reason: "join" }));
    await settle();
    expect(first.closed).toBe(true);
    expect(pcs()).toHaveLength(2);
    expect(remoteStreams).toEqual([null]);
    link.receive("hangup", payload({ from: "adv", to: null, reason: "leave" }));
    await settle();
    expect(lastPc().closed).toBe(true);
    expect(pcs()).toHaveLength(2);
    expect(statuses.at(-1)).toBe("waiting");
  });

  it("the client restarts ICE on failure at most 4 times; the advisor never does", async () => {
    const client = makeLink(false);
    const pc = lastPc();
    for (let i = 0; i < 6; i++) pc.setConnectionState("failed");
    expect(pc.restarts).toBe(4);
    expect(client.statuses.at(-1)).toBe("reconnecting");

    const advisor = makeLink(true);
    advisor.link.receive("offer", payload({ from: "c", to: null, description: { type: "offer", sdp: "o" } }));
    await settle();
    const advisorPc = lastPc();
    advisorPc.setConnectionState("failed");
    expect(advisorPc.restarts).toBe(0);
  });

  it("a disconnected connection gets a grace period before the ICE restart, and a reconnection cancels it", async () => {
    makeLink(false);
    const pc = lastPc();
    pc.setConnectionState("disconnected");
    await vi.advanceTimersByTimeAsync(3_000);
    expect(pc.restarts).toBe(0);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(pc.restarts).toBe(1);
    pc.setConnectionState("connected");
    pc.setConnectionState("disconnected");
    pc.setConnectionState("connected");
    await vi.advanceTimersByTimeAsync(10_000);
    expect(pc.restarts).toBe(1);
  });

  it("remote tracks reach the UI; after close nothing is sent and signals are ignored", async () => {
    const { link, sent, remoteStreams, track } = makeLink(false);
    const pc = lastPc();
    pc.ontrack?.({ track, streams: [] });
    expect(remoteStreams).toEqual([{ tracks: [track] }]);
    link.close();
    expect(pc.closed).toBe(true);
    await pc.onnegotiationneeded?.();
    link.receive("hangup", payload({ from: "adv", to: null, reason: "join" }));
    await settle();
    expect(sent).toEqual([]);
    expect(pcs()).toHaveLength(1);
  });
});

describe("parseIceServers", () => {
  it("keeps well-formed servers and falls back to none", () => {
    expect(parseIceServers(undefined)).toEqual([]);
    expect(parseIceServers('[{"urls":"stun:a"},{"urls":["turn:b"],"username":"u"},{"nope":1},3]')).toEqual([
      { urls: "stun:a" },
      { urls: ["turn:b"], username: "u" },
    ]);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    expect(parseIceServers("{not json")).toEqual([]);
    expect(parseIceServers('{"urls":"stun:a"}')).toEqual([]);
    warn.mockRestore();
  });
});
