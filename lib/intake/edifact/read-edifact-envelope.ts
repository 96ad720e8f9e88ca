import type { Identifier } from "../canonical-order";
import { fail, issue, type Envelope, type Issue } from "../parse-result";
import { part, type EdifactSegment } from "./tokenize-edifact";

// UNB…UNZ, optional UNG…UNE groups, UNH…UNT messages. As in X12: a count that disagrees refuses the
// interchange; a missing UNZ (a truncated interchange, as in the EANCOM sample) is a flag, because every
// message carries its own UNT count and is checked on its own.

export type EdifactMessage = { segments: EdifactSegment[]; error?: Issue; flags: Issue[] };

export function readEdifactEnvelope(segments: EdifactSegment[]): { envelope: Envelope; messages: EdifactMessage[] } {
  const unb = segments[0]!;
  const sender: Identifier = { scheme: "edifact-unb", qualifier: part(unb, 2, 2) || undefined, value: part(unb, 2, 1).trim() };
  if (!sender.value) fail("envelope", "UNB element 02", "the interchange sender id is empty");
  const receiver: Identifier = { scheme: "edifact-unb", qualifier: part(unb, 3, 2) || undefined, value: part(unb, 3, 1).trim() };
  const control = part(unb, 5).trim();
  const envelope: Envelope = {
    format: "edifact", senders: [clean(sender)], receivers: [clean(receiver)], controlNumbers: { unb05: control }, flags: [],
    syntax: part(unb, 1), usage: part(unb, 11) === "1" ? "test" : "production",
  };
  const messages: EdifactMessage[] = [];
  let open: EdifactMessage | undefined;
  let ended = false;
  for (const segment of segments.slice(1)) {
    if (ended) fail("syntax", `segment ${segment.position}`, `${segment.tag} comes after the UNZ that ends the interchange`);
    if (open) {
      if (segment.tag === "UNT") { open.segments.push(segment); closeMessage(open); open = undefined; continue; }
      if (!["UNH", "UNZ", "UNE", "UNG"].includes(segment.tag)) { open.segments.push(segment); continue; }
      open.error = issue("unterminated", `UNH[${messages.length}]`, `the message has no UNT before the ${segment.tag} at segment ${segment.position}`);
      open = undefined;
    }
    if (segment.tag === "UNH") {
      open = { segments: [segment], flags: [] };
      messages.push(open);
      envelope.controlNumbers[`unh01[${messages.length}]`] = part(segment, 1);
    } else if (segment.tag === "UNZ") {
      const claimed = part(segment, 1).trim();
      if (!/^\d{1,9}$/.test(claimed) || Number(claimed) !== messages.length) {
        fail("count-mismatch", "UNZ element 01", `the trailer claims ${JSON.stringify(claimed)} messages; the interchange has ${messages.length}`);
      }
      if (part(segment, 2).trim() !== control) {
        envelope.flags.push(issue("control-mismatch", "UNZ element 02", `control reference ${JSON.stringify(part(segment, 2))} differs from UNB05 ${JSON.stringify(control)}`));
      }
      ended = true;
    } else if (segment.tag !== "UNG" && segment.tag !== "UNE") {
      fail("syntax", `segment ${segment.position}`, `${segment.tag} comes outside a message`);
    }
  }
  if (open) open.error = issue("unterminated", `UNH[${messages.length}]`, "the message has no UNT: the interchange was cut short");
  if (!ended) envelope.flags.push(issue("unterminated", "UNZ", "the interchange has no UNZ trailer: it may have been cut short"));
  if (messages.length === 0) fail("envelope", "UNH", "the interchange holds no message");
  return { envelope, messages };
}

function closeMessage(message: EdifactMessage): void {
  const unh = message.segments[0]!;
  const unt = message.segments[message.segments.length - 1]!;
  const claimed = part(unt, 1).trim();
  if (!/^\d{1,9}$/.test(claimed) || Number(claimed) !== message.segments.length) {
    message.error = issue("count-mismatch", "UNT element 01", `the UNT claims ${JSON.stringify(claimed)} segments; the message has ${message.segments.length}`);
  }
  if (part(unt, 2).trim() !== part(unh, 1).trim()) {
    message.flags.push(issue("control-mismatch", "UNT element 02", `message reference ${JSON.stringify(part(unt, 2))} differs from UNH01 ${JSON.stringify(part(unh, 1))}`));
  }
}

function clean(identifier: Identifier): Identifier {
  return identifier.qualifier ? identifier : { scheme: identifier.scheme, value: identifier.value };
}
