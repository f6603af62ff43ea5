import type { ReactNode } from "react";
import { guardArea } from "@/server/auth/guard";

export default async function Layout({ children }: { children: ReactNode }) {
  return guardArea("sessions:read_own", () => children);
}
