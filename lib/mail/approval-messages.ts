import { escapeHtml, oneLine, renderHtml, type MailContent } from "./messages";

/** Order mail: an approval waiting (or escalated to the recipient), and an order decided. */
export function approvalWaitingMessage(input: { orderNumber: string; total: string; buyerName: string; ruleName: string; tier: number; link: string; escalated: boolean }): MailContent {
  const number = oneLine(input.orderNumber);
  const buyer = oneLine(input.buyerName);
  const rule = oneLine(input.ruleName);
  const subject = input.escalated ? `Escalated to you: order ${number} is waiting for approval` : `Order ${number} is waiting for your approval`;
  const lead = `${buyer}'s order ${number} (${input.total}) needs an approval: rule "${rule}", tier ${input.tier}.`;
  const why = input.escalated ? "It waited longer than its rule allows, so it was escalated up the branch tree to you." : "You are one of the approvers this tier asks for.";
  const text = [lead, why, "", "Approve or reject it here:", input.link, "", "Countersign", ""].join("\n");
  const html = renderHtml([escapeHtml(lead), escapeHtml(why)], { link: input.link, label: "Open the order" }, []);
  return { subject, text, html, link: input.link };
}

export function orderDecidedMessage(input: { orderNumber: string; total: string; outcome: "approved" | "rejected"; deciderName: string; comment: string; link: string }): MailContent {
  const number = oneLine(input.orderNumber);
  const decider = oneLine(input.deciderName);
  const comment = oneLine(input.comment);
  const subject = `Order ${number} was ${input.outcome}`;
  const lead = input.outcome === "approved" ? `Your order ${number} (${input.total}) is approved and placed; the last approval was ${decider}'s.` : `Your order ${number} (${input.total}) was rejected by ${decider}.`;
  const said = comment ? `Comment: ${comment}` : "";
  const text = [lead, said, "", input.link, "", "Countersign", ""].filter((l, i) => l !== "" || i > 1).join("\n");
  const html = renderHtml([escapeHtml(lead), ...(said ? [escapeHtml(said)] : [])], { link: input.link, label: "Open the order" }, []);
  return { subject, text, html, link: input.link };
}
