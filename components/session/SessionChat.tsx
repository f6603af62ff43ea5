"use client";

import dynamic from "next/dynamic";
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import { useMutation, useQuery } from "convex/react";
import { format } from "date-fns";
import { ArrowDown, Lock, MessageCircle, SendHorizontal } from "lucide-react";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { Button } from "@/components/ui/button";
import { MAX_MESSAGE_LENGTH, MESSAGE_COUNTER_FROM, TYPING_REFRESH_MS, checkMessageBody } from "@/lib/chat";
import { cn } from "@/lib/cn";
import { userMessage } from "@/lib/errors";
import { ChatLoading, type SessionChatProps } from "./chatShared";

// Stream's SDK and styles load only for Stream sessions, in their own chunk, in the browser.
const StreamSessionChat = dynamic(() => import("./StreamSessionChat").then((m) => m.StreamSessionChat), {
  ssr: false,
  loading: () => <ChatLoading />,
});

/** The session chat: fills its container's height (give the parent a height), the list scrolls. */
export function SessionChat(props: SessionChatProps) {
  if (props.provider === "stream") return <StreamSessionChat {...props} />;
  return <BuiltinChat {...props} />;
}

const NEAR_BOTTOM_PX = 64;

function BuiltinChat({ sessionId, role, counterpartName, readOnly = false }: SessionChatProps) {
  const isParty = role !== "admin";
  const data = useQuery(api.chat.list, { sessionId });
  const typingState = useQuery(api.chat.typingState, isParty ? { sessionId } : "skip");
  const counterpartTyping = useTypingVisible(typingState?.typingUntil ?? null);

  const listRef = useRef<HTMLDivElement>(null);
  const atBottomRef = useRef(true);
  const lastSeenIdRef = useRef<string | null>(null);
  const [showJump, setShowJump] = useState(false);

  const messages = data?.messages;
  const lastMessage = messages?.at(-1);

  const scrollToBottom = useCallback(() => {
    const el = listRef.current;
    if (el) el.scrollTop = el.scrollHeight;
    atBottomRef.current = true;
    setShowJump(false);
  }, []);

  // New messages: follow them when the reader is at the bottom (or just sent one); otherwise offer a jump.
  useLayoutEffect(() => {
    if (lastMessage === undefined) return;
    if (lastSeenIdRef.current === lastMessage._id) return;
    const first = lastSeenIdRef.current === null;
    lastSeenIdRef.current = lastMessage._id;
    const own = isParty && lastMessage.senderRole === role;
    if (first || own || atBottomRef.current) {
      const el = listRef.current;
      if (el) el.scrollTop = el.scrollHeight;
      atBottomRef.current = true;
    } else {
      // A callback, not a synchronous state change in the effect body.
      requestAnimationFrame(() => setShowJump(true));
    }
  }, [lastMessage, isParty, role]);

  // The typing line appears at the bottom of the list: keep it in view when following.
  useLayoutEffect(() => {
    const el = listRef.current;
    if (counterpartTyping && el && atBottomRef.current) el.scrollTop = el.scrollHeight;
  }, [counterpartTyping]);

  const onScroll = () => {
    const el = listRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    atBottomRef.current = atBottom;
    if (atBottom && showJump) setShowJump(false);
  };

  if (data === undefined) return <ChatLoading />;

  const disabledReason = readOnly
    ? role === "admin"
      ? "Read only: admins can read this chat but not send messages."
      : "This chat is read only."
    : role === "admin"
      ? "Admins can read this chat but not send messages."
      : data.notLiveReason;

  return (
    <div className="flex h-full min-h-0 w-full min-w-0 flex-col bg-white" data-testid="session-chat">
      <div className="relative flex min-h-0 flex-1 flex-col">
        <div
          ref={listRef}
          onScroll={onScroll}
          role="log"
          aria-live="polite"
          aria-relevant="additions"
          aria-label={`Chat with ${counterpartName}`}
          tabIndex={0}
          className="flex min-h-0 flex-1 flex-col gap-2 overflow-y-auto overscroll-contain px-3 py-4 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-brand-500 sm:px-4"
        >
          {data.messages.length === 0 ? (
            <div className="m-auto flex flex-col items-center gap-2 px-6 text-center text-sm text-slate-500">
              <MessageCircle className="size-8 text-slate-300" aria-hidden="true" />
              <p className="font-medium text-slate-700">{isParty ? "Say hello…" : "No messages in this session."}</p>
              {isParty && data.canSend && !readOnly ? <p>Messages are private to you and {counterpartName}.</p> : null}
            </div>
          ) : (
            data.messages.map((m, i) => {
              const own = isParty && m.senderRole === role;
              // Admins see both sides: the client on the left, the advisor on the right.
              const right = isParty ? own : m.senderRole === "advisor";
              const previous = data.messages[i - 1];
              const firstOfRun = previous === undefined || previous.senderRole !== m.senderRole;
              const senderLabel = own
                ? "You"
                : isParty
                  ? counterpartName
                  : m.senderRole === "client"
                    ? "Client"
                    : "Advisor";
              return (
                <div
                  key={m._id}
                  data-testid="chat-message"
                  data-own={own ? "true" : "false"}
                  className={cn(
                    "flex max-w-[85%] flex-col sm:max-w-[75%]",
                    right ? "items-end self-end" : "items-start self-start",
                    firstOfRun && i > 0 && "mt-2",
                  )}
                >
                  {firstOfRun && !own ? (
                    <span className="mb-0.5 px-1 text-xs font-medium text-slate-500">{senderLabel}</span>
                  ) : null}
                  <span className="sr-only">{`${senderLabel}, ${format(m.createdAt, "HH:mm")}: `}</span>
                  <p
                    className={cn(
                      "whitespace-pre-wrap break-words rounded-2xl px-3 py-2 text-sm leading-relaxed [overflow-wrap:anywhere]",
                      own
                        ? "rounded-br-md bg-brand-600 text-white"
                        : right
                          ? "rounded-br-md bg-slate-200 text-slate-900"
                          : "rounded-bl-md bg-slate-100 text-slate-900",
                    )}
                  >
                    {m.body}
                  </p>
                  <time
                    dateTime={new Date(m.createdAt).toISOString()}
                    aria-hidden="true"
                    className="mt-0.5 px-1 text-[11px] tabular-nums text-slate-400"
                  >
                    {format(m.createdAt, "HH:mm")}
                  </time>
                </div>
              );
            })
          )}
        </div>
        {showJump ? (
          <button
            type="button"
            onClick={scrollToBottom}
            className="absolute bottom-3 left-1/2 inline-flex -translate-x-1/2 items-center gap-1 rounded-full bg-slate-900/85 px-3 py-1.5 text-xs font-medium text-white shadow-md hover:bg-slate-900 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
          >
            <ArrowDown className="size-3.5" aria-hidden="true" />
            New messages
          </button>
        ) : null}
      </div>
      <div className="h-6 shrink-0 px-4 text-xs text-slate-500" aria-live="polite">
        {counterpartTyping ? (
          <span data-testid="chat-typing" className="inline-flex items-center gap-1.5">
            <TypingDots />
            {`${counterpartName} is typing…`}
          </span>
        ) : null}
      </div>
      {disabledReason === null ? (
        <Composer sessionId={sessionId} counterpartName={counterpartName} onSent={scrollToBottom} />
      ) : (
        <DisabledComposer reason={disabledReason} />
      )}
    </div>
  );
}

function TypingDots() {
  return (
    <span className="inline-flex gap-0.5" aria-hidden="true">
      {[0, 150, 300].map((delay) => (
        <span
          key={delay}
          className="size-1 animate-bounce rounded-full bg-slate-400"
          style={{ animationDelay: `${delay}ms` }}
        />
      ))}
    </span>
  );
}

/** True while `typingUntil` (server ms) is in the future by the browser's clock. */
function useTypingVisible(typingUntil: number | null): boolean {
  const [expired, setExpired] = useState<number | null>(null);
  useEffect(() => {
    if (typingUntil === null) return;
    const timer = setTimeout(() => setExpired(typingUntil), Math.max(0, typingUntil - Date.now()));
    return () => clearTimeout(timer);
  }, [typingUntil]);
  return typingUntil !== null && expired !== typingUntil;
}

function DisabledComposer({ reason }: { reason: string }) {
  const id = useId();
  return (
    <div className="shrink-0 border-t border-slate-200 bg-slate-50 px-3 py-3 sm:px-4">
      <div className="flex items-end gap-2">
        <textarea
          data-testid="chat-input"
          disabled
          rows={1}
          aria-label="Message"
          aria-describedby={id}
          placeholder="Messaging is closed"
          className="min-h-10 flex-1 resize-none rounded-xl border border-slate-200 bg-slate-100 px-3 py-2 text-sm text-slate-500"
        />
        <Button
          type="button"
          size="icon"
          disabled
          data-testid="chat-send"
          aria-label="Send message"
          aria-describedby={id}
        >
          <SendHorizontal aria-hidden="true" />
        </Button>
      </div>
      <p id={id} data-testid="chat-disabled-reason" className="mt-2 flex items-center gap-1.5 text-xs text-slate-600">
        <Lock className="size-3.5 shrink-0" aria-hidden="true" />
        {reason}
      </p>
    </div>
  );
}

function Composer({
  sessionId,
  counterpartName,
  onSent,
}: {
  sessionId: Id<"sessions">;
  counterpartName: string;
  onSent: () => void;
}) {
  const send = useMutation(api.chat.send);
  const setTyping = useMutation(api.chat.setTyping);
  const [draft, setDraft] = useState("");
  const [sending, setSending] = useState(false);
  const typingSentAtRef = useRef(0);
  const counterId = useId();

  const signalTyping = useCallback(
    (typing: boolean) => {
      if (typing) {
        const now = Date.now();
        if (now - typingSentAtRef.current < TYPING_REFRESH_MS) return;
        typingSentAtRef.current = now;
      } else {
        if (typingSentAtRef.current === 0) return;
        typingSentAtRef.current = 0;
      }
      void setTyping({ sessionId, typing }).catch(() => undefined);
    },
    [sessionId, setTyping],
  );

  // Leaving the room stops the typing signal.
  useEffect(() => () => signalTyping(false), [signalTyping]);

  const length = draft.trim().length;
  const tooLong = length > MAX_MESSAGE_LENGTH;

  const submit = async () => {
    const checked = checkMessageBody(draft);
    if (!checked.ok) {
      if (draft.trim().length > 0) toast.error(checked.message);
      return;
    }
    const previous = draft;
    setDraft("");
    setSending(true);
    typingSentAtRef.current = 0; // the server clears typing on send
    try {
      await send({ sessionId, body: checked.body });
      onSent();
    } catch (error) {
      setDraft((current) => (current === "" ? previous : current));
      toast.error(userMessage(error));
    } finally {
      setSending(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    void submit();
  };

  return (
    <form
      className="shrink-0 border-t border-slate-200 bg-white px-3 py-3 sm:px-4"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="flex items-end gap-2">
        <textarea
          data-testid="chat-input"
          value={draft}
          rows={1}
          aria-label={`Message ${counterpartName}`}
          aria-describedby={length >= MESSAGE_COUNTER_FROM ? counterId : undefined}
          aria-invalid={tooLong || undefined}
          placeholder="Write a message…"
          enterKeyHint="send"
          onChange={(event) => {
            const next = event.target.value;
            setDraft(next);
            signalTyping(next.trim().length > 0);
          }}
          onKeyDown={onKeyDown}
          className="field-sizing-content max-h-32 min-h-10 flex-1 resize-none rounded-xl border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 focus-visible:border-brand-500 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500/30 aria-[invalid=true]:border-red-500"
        />
        <Button
          type="submit"
          size="icon"
          data-testid="chat-send"
          aria-label="Send message"
          disabled={length === 0 || tooLong || sending}
        >
          <SendHorizontal aria-hidden="true" />
        </Button>
      </div>
      {length >= MESSAGE_COUNTER_FROM ? (
        <p
          id={counterId}
          className={cn(
            "mt-1 text-right text-xs tabular-nums",
            tooLong ? "font-medium text-red-600" : "text-slate-500",
          )}
        >
          {tooLong ? `${length - MAX_MESSAGE_LENGTH} characters over the limit · ` : null}
          {length} / {MAX_MESSAGE_LENGTH}
        </p>
      ) : (
        <p className="sr-only">Press Enter to send, Shift+Enter for a new line.</p>
      )}
    </form>
  );
}
