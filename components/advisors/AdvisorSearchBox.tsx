"use client";

import { useEffect, useRef, useState } from "react";
import { Search } from "lucide-react";
import { Input, Label } from "@/components/ui/input";
import { useTypedBeforeHydration } from "@/hooks/useTypedBeforeHydration";

/**
 * The advisor search box: debounced (300 ms) into `onSearch`, in step with the URL's value, and picking up text
 * typed before hydration.
 */
export function SearchBox({ value, onSearch }: { value: string; onSearch: (value: string) => void }) {
  const [text, setText] = useState(value);
  const [synced, setSynced] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const input = useTypedBeforeHydration(value, setText);
  if (value !== synced) {
    setSynced(value);
    setText(value);
  }
  useEffect(() => {
    if (text.trim() === value) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      onSearch(text.trim());
    }, 300);
    return () => {
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [text, value, onSearch]);
  // A click on a link (an advisor card) while the search is still debouncing: drop the pending search, so its
  // late URL update does not cancel the navigation the click started.
  useEffect(() => {
    const onClick = (e: MouseEvent) => {
      if (timer.current === null || !(e.target instanceof Element)) return;
      const link = e.target.closest("a[href]");
      if (link === null) return;
      clearTimeout(timer.current);
      timer.current = null;
    };
    document.addEventListener("click", onClick, true);
    return () => document.removeEventListener("click", onClick, true);
  }, []);
  return (
    <form
      role="search"
      className="flex flex-1 flex-col gap-1.5"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(text.trim());
      }}
    >
      <Label htmlFor="advisor-search">Search advisors</Label>
      <div className="relative">
        <Search
          className="pointer-events-none absolute left-3 top-1/2 size-4 -translate-y-1/2 text-slate-400"
          aria-hidden="true"
        />
        <Input
          ref={input}
          id="advisor-search"
          type="search"
          value={text}
          maxLength={200}
          placeholder="Name, topic or tag, e.g. tarot, salary"
          className="pl-9"
          onChange={(e) => setText(e.target.value)}
        />
      </div>
    </form>
  );
}
