import type { Identifier } from "../canonical-order";
import { fail, issue, type Envelope, type Issue } from "../parse-result";
import { element, type X12Segment } from "./tokenize-x12";

// The ISA/GS/ST envelope: which transaction sets there are, and whether the counts the trailers claim are
// true. A count that disagrees means a set was lost or added in transit: the whole interchange is refused.
// A control number that differs, or a missing trailer, is a flag: the sets themselves are intact.

export type X12TransactionSet = { segments: X12Segment[]; groupSenders: Identifier[]; error?: Issue; flags: Issue[] };

export function readX12Envelope(segments: X12Segment[]): { envelope: Envelope; sets: X12TransactionSet[] } {
  const isa = segments[0]!;
  if (isa.elements.length < 16) fail("envelope", "ISA", `the ISA segment has ${isa.elements.length} elements; it needs 16`);
  const sender: Identifier = { scheme: "x12-isa", qualifier: element(isa, 5).trim(), value: element(isa, 6).trim() };
  const receiver: Identifier = { scheme: "x12-isa", qualifier: element(isa, 7).trim(), value: element(isa, 8).trim() };
  if (!sender.value) fail("envelope", "ISA element 06", "the interchange sender id is empty");
  const isaControl = element(isa, 13).trim();
  const envelope: Envelope = {
    format: "x12-850", senders: [sender], receivers: [receiver],
    controlNumbers: { isa13: isaControl }, flags: [], usage: element(isa, 15).trim() === "T" ? "test" : "production",
  };
  const sets: X12TransactionSet[] = [];
  let groups = 0;
  let group: { control: string; sets: number; senders: Identifier[] } | undefined;
  let open: X12TransactionSet | undefined;
  let ended = false;
  for (const segment of segments.slice(1)) {
    if (ended) fail("syntax", `segment ${segment.position}`, `${segment.id} comes after the IEA that ends the interchange`);
    if (open) {
      if (segment.id === "SE") { open.segments.push(segment); closeSet(open); open = undefined; continue; }
      if (segment.id !== "ST" && segment.id !== "GE" && segment.id !== "IEA") { open.segments.push(segment); continue; }
      open.error = issue("unterminated", `ST[${sets.length}]`, `the transaction set has no SE before the ${segment.id} at segment ${segment.position}`);
      open = undefined;
    }
    if (segment.id === "GS") {
      if (group) fail("syntax", `segment ${segment.position}`, "a GS starts before the previous group's GE");
      groups++;
      group = { control: element(segment, 6).trim(), sets: 0, senders: [{ scheme: "x12-gs", value: element(segment, 2).trim() }] };
      envelope.controlNumbers[`gs06[${groups}]`] = group.control;
    } else if (segment.id === "ST") {
      if (!group) fail("syntax", `segment ${segment.position}`, "an ST comes outside a GS…GE group");
      group.sets++;
      open = { segments: [segment], groupSenders: group.senders, flags: [] };
      sets.push(open);
    } else if (segment.id === "GE") {
      if (!group) fail("syntax", `segment ${segment.position}`, "a GE comes without its GS");
      checkCount(element(segment, 1), group.sets, `GE[${groups}] element 01`, "transaction sets in the group");
      if (element(segment, 2).trim() !== group.control) {
        envelope.flags.push(issue("control-mismatch", `GE[${groups}] element 02`, `group control number ${JSON.stringify(element(segment, 2))} differs from GS06 ${JSON.stringify(group.control)}`));
      }
      group = undefined;
    } else if (segment.id === "IEA") {
      if (group) fail("syntax", `segment ${segment.position}`, "the IEA comes before the last group's GE");
      checkCount(element(segment, 1), groups, "IEA element 01", "functional groups");
      if (element(segment, 2).trim() !== isaControl) {
        envelope.flags.push(issue("control-mismatch", "IEA element 02", `interchange control number ${JSON.stringify(element(segment, 2))} differs from ISA13 ${JSON.stringify(isaControl)}`));
      }
      ended = true;
    } else {
      fail("syntax", `segment ${segment.position}`, `${segment.id} comes outside a transaction set`);
    }
  }
  if (open) open.error = issue("unterminated", `ST[${sets.length}]`, "the transaction set has no SE: the interchange was cut short");
  if (group) envelope.flags.push(issue("unterminated", `GS[${groups}]`, "the last functional group has no GE"));
  if (!ended) envelope.flags.push(issue("unterminated", "IEA", "the interchange has no IEA trailer: it may have been cut short"));
  if (sets.length === 0) fail("envelope", "ST", "the interchange holds no transaction set");
  return { envelope, sets };
}

function closeSet(set: X12TransactionSet): void {
  const st = set.segments[0]!;
  const se = set.segments[set.segments.length - 1]!;
  const claimed = element(se, 1).trim();
  if (!/^\d{1,9}$/.test(claimed) || Number(claimed) !== set.segments.length) {
    set.error = issue("count-mismatch", "SE element 01", `the SE claims ${JSON.stringify(claimed)} segments; the transaction set has ${set.segments.length}`);
  }
  if (element(se, 2).trim() !== element(st, 2).trim()) {
    set.flags.push(issue("control-mismatch", "SE element 02", `control number ${JSON.stringify(element(se, 2))} differs from ST02 ${JSON.stringify(element(st, 2))}`));
  }
}

function checkCount(raw: string, actual: number, location: string, what: string): void {
  const claimed = raw.trim();
  if (!/^\d{1,9}$/.test(claimed) || Number(claimed) !== actual) {
    fail("count-mismatch", location, `the trailer claims ${JSON.stringify(claimed)} ${what}; the interchange has ${actual}`);
  }
}
