import { toast } from "sonner";
import { userMessage } from "@/lib/errors";

/** Runs an admin action with a toast; resolves with the error message (for dialogs to show inline) or null on success. */
export async function runWithToast(action: () => Promise<unknown>, success: string): Promise<string | null> {
  try {
    await action();
    toast.success(success);
    return null;
  } catch (e) {
    const message = userMessage(e);
    toast.error(message);
    return message;
  }
}
