"use client";

// Stream Chat for sessions with provider "stream". Loaded only through next/dynamic from SessionChat,
// so stream-chat, stream-chat-react and their CSS stay out of the built-in chat's bundle.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { StreamChat } from "stream-chat";
import { Channel, Chat, MessageComposer, MessageList, Window } from "stream-chat-react";
import "stream-chat-react/dist/css/index.css";
import { AlertTriangle, Lock } from "lucide-react";
import { Button } from "@/components/ui/button";
import { ChatLoading, type SessionChatProps } from "./chatShared";

/** The body of POST /api/stream/token (the video adapter reads the call fields). */
export type StreamCredentials = {
  apiKey: string;
  userId: string;
  token: string;
  channelType: string;
  channelId: string;
  callType: string;
  callId: string;
};

/** Asks the app for Stream credentials for this session; throws an Error with a readable message. */
export async function fetchStreamCredentials(sessionId: string): Promise<StreamCredentials> {
  const response = await fetch("/api/stream/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sessionId }),
    cache: "no-store",
    credentials: "same-origin",
  }).catch(() => null);
  if (response === null) throw new Error("Could not reach the server. Check your connection and try again.");
  const json = (await response.json().catch(() => null)) as
    (StreamCredentials & { error?: { message?: string } }) | null;
  if (!response.ok || json === null)
    throw new Error(json?.error?.message ?? "Could not open the chat. Please try again.");
  return json;
}

export function StreamSessionChat({ sessionId, role, readOnly = false }: SessionChatProps) {
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<{ key: string; credentials?: StreamCredentials; error?: string } | null>(null);
  const key = `${sessionId}:${attempt}`;

  useEffect(() => {
    if (role === "admin") return;
    let cancelled = false;
    fetchStreamCredentials(sessionId).then(
      (credentials) => !cancelled && setResult({ key, credentials }),
      (error: unknown) =>
        !cancelled && setResult({ key, error: error instanceof Error ? error.message : "Could not open the chat." }),
    );
    return () => {
      cancelled = true;
    };
  }, [sessionId, role, key]);

  if (role === "admin") {
    return (
      <Notice icon={<Lock aria-hidden="true" />}>
        This session used Stream chat. Its messages are kept by Stream and are not shown here.
      </Notice>
    );
  }
  const current = result?.key === key ? result : null;
  if (current?.error !== undefined) {
    return (
      <Notice icon={<AlertTriangle aria-hidden="true" />}>
        <p>{current.error}</p>
        <Button variant="secondary" size="sm" className="mt-3" onClick={() => setAttempt((n) => n + 1)}>
          Try again
        </Button>
      </Notice>
    );
  }
  if (current?.credentials === undefined) return <ChatLoading />;
  return <StreamChatRoom sessionId={sessionId} credentials={current.credentials} readOnly={readOnly} />;
}

function StreamChatRoom({
  sessionId,
  credentials,
  readOnly,
}: {
  sessionId: string;
  credentials: StreamCredentials;
  readOnly: boolean;
}) {
  // The first connection uses the token we already have; later refreshes (tokens last an hour) ask again.
  const initialTokenRef = useRef<string | null>(credentials.token);
  const tokenProvider = useCallback(async () => {
    const token = initialTokenRef.current;
    initialTokenRef.current = null;
    return token ?? (await fetchStreamCredentials(sessionId)).token;
  }, [sessionId]);

  const [state, setState] = useState<
    { client: StreamChat; for: StreamCredentials } | { error: string; for: StreamCredentials } | null
  >(null);

  useEffect(() => {
    const client = new StreamChat(credentials.apiKey);
    let cancelled = false;
    const connecting = client.connectUser({ id: credentials.userId }, tokenProvider).then(
      () => {
        if (!cancelled) setState({ client, for: credentials });
      },
      () => {
        if (!cancelled)
          setState({ error: "Could not connect to the chat service. Please reload the page.", for: credentials });
      },
    );
    return () => {
      cancelled = true;
      void connecting.then(() => client.disconnectUser()).catch(() => undefined);
    };
  }, [credentials, tokenProvider]);

  const current = state?.for === credentials ? state : null;
  const client = current !== null && "client" in current ? current.client : null;
  const channel = useMemo(
    () => (client ? client.channel(credentials.channelType, credentials.channelId) : null),
    [client, credentials.channelType, credentials.channelId],
  );

  if (current !== null && "error" in current) {
    return <Notice icon={<AlertTriangle aria-hidden="true" />}>{current.error}</Notice>;
  }
  if (client === null || channel === null) return <ChatLoading />;
  return (
    <div
      className="flex h-full min-h-0 w-full min-w-0 flex-col [&_.str-chat]:h-full [&_.str-chat]:min-h-0"
      data-testid="session-chat"
      data-provider="stream"
    >
      <Chat client={client} theme="str-chat__theme-light">
        <Channel channel={channel}>
          <Window>
            <MessageList />
            {readOnly ? null : <MessageComposer focus />}
          </Window>
        </Channel>
      </Chat>
    </div>
  );
}

function Notice({ icon, children }: { icon: ReactNode; children: ReactNode }) {
  return (
    <div className="flex h-full min-h-0 flex-col items-center justify-center gap-2 p-6 text-center text-sm text-slate-600">
      <div className="text-slate-400 [&_svg]:size-7">{icon}</div>
      <div>{children}</div>
    </div>
  );
}
