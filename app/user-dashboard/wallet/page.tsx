import type { Metadata } from "next";
import { Planned } from "@/components/shell/Planned";

export const metadata: Metadata = { title: "Wallet" };

export default function Page() {
  return (
    <Planned title="Wallet" description="Your prepaid balance and its history.">
      Your balance and wallet history will show here; top-ups open with card payments.
    </Planned>
  );
}
