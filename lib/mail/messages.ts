/**
 * The mails Countersign sends. Each builder returns plain text and HTML with the same content;
 * the link appears once in each (in HTML only as the href of one button), so a reader and a test
 * both find exactly one link.
 */
export type MailContent = { subject: string; text: string; html: string; link: string };

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Every interpolated value goes through this: names are chosen by users, not by us. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

// A user-chosen name with a line break could forge extra lines (a fake link, a fake header) in
// the text part or the subject; one line of visible text is all a name needs.
export function oneLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\s]+/g, " ").trim();
}

const UNITS = [
  { minutes: 1440, singular: "day", plural: "days" },
  { minutes: 60, singular: "hour", plural: "hours" },
  { minutes: 1, singular: "minute", plural: "minutes" },
] as const;

/**
 * How long a link stays valid, in words ("30 minutes", "7 days"): the largest unit that divides
 * the remaining time exactly, otherwise minutes below 2 hours, hours below 2 days, then days.
 */
export function describeValidity(expiresAt: Date, now: Date = new Date()): string {
  const minutes = Math.max(1, Math.round((expiresAt.getTime() - now.getTime()) / 60_000));
  const exact = UNITS.find((u) => minutes % u.minutes === 0 && minutes >= u.minutes);
  const unit = exact && exact.minutes > 1 ? exact : minutes < 120 ? UNITS[2] : minutes < 2880 ? UNITS[1] : UNITS[0];
  // Rounded down: a mail never promises more time than the link has.
  const count = Math.floor(minutes / unit.minutes);
  return `${count} ${count === 1 ? unit.singular : unit.plural}`;
}

export function renderHtml(paragraphsBefore: string[], button: { link: string; label: string }, paragraphsAfter: string[]): string {
  const p = (html: string) => `<p style="margin:0 0 16px">${html}</p>`;
  return [
    "<!doctype html>",
    '<html><body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;font-size:15px;line-height:1.5;color:#1f2937">',
    ...paragraphsBefore.map(p),
    p(
      `<a href="${escapeHtml(button.link)}" style="display:inline-block;padding:10px 18px;background:#1d4ed8;color:#ffffff;border-radius:6px;text-decoration:none">${escapeHtml(button.label)}</a>`,
    ),
    ...paragraphsAfter.map(p),
    '<p style="margin:24px 0 0;color:#6b7280;font-size:13px">Countersign</p>',
    "</body></html>",
  ].join("\n");
}

export function invitationMessage(input: { orgName: string; inviterName: string; link: string; expiresAt: Date }, now: Date = new Date()): MailContent {
  const orgName = oneLine(input.orgName);
  const inviterName = oneLine(input.inviterName);
  const validity = describeValidity(input.expiresAt, now);
  const subject = `${inviterName} invited you to ${orgName} on Countersign`;
  const text = [
    `${inviterName} invited you to join ${orgName} on Countersign.`,
    "",
    "To accept the invitation and set up your account, open this link:",
    input.link,
    "",
    `The link is valid for ${validity} and can be used once.`,
    "If you were not expecting this invitation, you can ignore this email; no account is created unless you accept.",
    "",
    "Countersign",
    "",
  ].join("\n");
  const html = renderHtml(
    [`${escapeHtml(inviterName)} invited you to join <strong>${escapeHtml(orgName)}</strong> on Countersign.`],
    { link: input.link, label: "Accept the invitation" },
    [
      `The link is valid for ${escapeHtml(validity)} and can be used once.`,
      "If you were not expecting this invitation, you can ignore this email; no account is created unless you accept.",
    ],
  );
  return { subject, text, html, link: input.link };
}

export function passwordResetMessage(input: { link: string; expiresAt: Date; requestedByAdmin: boolean }, now: Date = new Date()): MailContent {
  const validity = describeValidity(input.expiresAt, now);
  const opening = input.requestedByAdmin
    ? "An administrator of your organization started a password reset for your Countersign account."
    : "We received a request to reset the password for your Countersign account.";
  const ignore = "If you did not ask for this, ignore this email; your password stays the same.";
  const subject = "Reset your Countersign password";
  const text = [
    opening,
    "",
    "To choose a new password, open this link:",
    input.link,
    "",
    `The link is valid for ${validity} and can be used once.`,
    ignore,
    "",
    "Countersign",
    "",
  ].join("\n");
  const html = renderHtml(
    [escapeHtml(opening)],
    { link: input.link, label: "Choose a new password" },
    [`The link is valid for ${escapeHtml(validity)} and can be used once.`, escapeHtml(ignore)],
  );
  return { subject, text, html, link: input.link };
}

/** Sent to the new address: opening the link proves the person can read it, and makes the change. */
export function emailChangeMessage(input: { link: string; expiresAt: Date; newEmail: string }, now: Date = new Date()): MailContent {
  const validity = describeValidity(input.expiresAt, now);
  const newEmail = oneLine(input.newEmail);
  const opening = `Someone signed in to Countersign asked to use ${newEmail} as their sign-in email.`;
  const ignore = "If you did not ask for this, ignore this email; nothing changes.";
  const subject = "Confirm your new Countersign email";
  const text = [opening, "", "To confirm it, open this link:", input.link, "", `The link is valid for ${validity} and can be used once.`, ignore, "", "Countersign", ""].join("\n");
  const html = renderHtml([escapeHtml(opening)], { link: input.link, label: "Confirm this email" }, [`The link is valid for ${escapeHtml(validity)} and can be used once.`, escapeHtml(ignore)]);
  return { subject, text, html, link: input.link };
}

/**
 * Sent to the new address when it already has an account: the person asking is told the same as
 * for a free address, so the form never says which addresses have accounts.
 */
export function emailInUseMessage(input: { link: string; newEmail: string }): MailContent {
  const newEmail = oneLine(input.newEmail);
  const opening = `Someone signed in to Countersign asked to use ${newEmail} as their sign-in email, but this address already has a Countersign account, so nothing was changed.`;
  const advice = "If that was you, sign in with this address instead. If not, you can ignore this email.";
  const subject = "This email already has a Countersign account";
  const text = [opening, "", advice, "", "Sign in:", input.link, "", "Countersign", ""].join("\n");
  const html = renderHtml([escapeHtml(opening), escapeHtml(advice)], { link: input.link, label: "Sign in" }, []);
  return { subject, text, html, link: input.link };
}

/** Sent to the old address once the change is made, so a takeover does not go unnoticed. */
export function emailChangedNotice(input: { link: string; newEmail: string }): MailContent {
  const newEmail = oneLine(input.newEmail);
  const opening = `The sign-in email of your Countersign account was changed to ${newEmail}. This address no longer signs in.`;
  const advice = "If you did not make this change, tell an administrator of your organization at once: they can end the account's sessions and deactivate it.";
  const subject = "Your Countersign email was changed";
  const text = [opening, "", advice, "", "Review your security settings:", input.link, "", "Countersign", ""].join("\n");
  const html = renderHtml([escapeHtml(opening), escapeHtml(advice)], { link: input.link, label: "Review your security settings" }, []);
  return { subject, text, html, link: input.link };
}
