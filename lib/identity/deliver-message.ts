import { sendMail, type MailDelivery } from "@/lib/mail/send-mail";
import type { MailContent } from "@/lib/mail/messages";

/**
 * Sends a reset or invitation mail after its command has committed. A failure is logged and
 * answered with null, never thrown: the link is already issued, and another can be sent. The
 * log names the recipient and the reason, never the link (it is a live secret).
 */
export async function deliverMessage(to: string, message: MailContent): Promise<MailDelivery | null> {
  try {
    return await sendMail({ to, subject: message.subject, text: message.text, html: message.html, link: message.link });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`[mail] sending "${message.subject}" to ${to} failed: ${reason.split(message.link).join("[link]")}`);
    return null;
  }
}
