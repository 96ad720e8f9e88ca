import { appLink } from "@/lib/mail/app-url";

/** Where a channel's partner POSTs its payloads (issue 14's `url`). */
export function channelMessagesUrl(channelId: string): string {
  return appLink(`/api/v1/intake/channels/${channelId}/messages`);
}
