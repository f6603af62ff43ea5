import { useEffect, useRef } from "react";

/**
 * Tells the room when the viewer's call starts and stops carrying media: once per change, and `false` on unmount
 * if the last report was `true` (the room's liveness must not stay on after the video goes away).
 */
export function useReportInCall(inCall: boolean, onInCallChange: ((inCall: boolean) => void) | undefined) {
  const onInCallRef = useRef(onInCallChange);
  const reported = useRef(false);
  useEffect(() => {
    onInCallRef.current = onInCallChange;
  });
  useEffect(() => {
    if (reported.current === inCall) return;
    reported.current = inCall;
    onInCallRef.current?.(inCall);
  }, [inCall]);
  useEffect(
    () => () => {
      if (reported.current) {
        reported.current = false;
        onInCallRef.current?.(false);
      }
    },
    [],
  );
}
