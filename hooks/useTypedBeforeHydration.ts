import { useEffect, useRef, type RefObject } from "react";

/**
 * Text typed into a server-rendered input before React hydrated it fires no onChange (on a slow phone, or a fast
 * test): once hydrated, adopt what the box holds. Returns the ref to put on the input.
 */
export function useTypedBeforeHydration(
  value: string,
  setValue: (value: string) => void,
): RefObject<HTMLInputElement | null> {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (input.current !== null && input.current.value !== value) setValue(input.current.value);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps -- only the value typed before hydration
  return input;
}
