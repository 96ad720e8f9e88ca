/**
 * The per-chunk check of a chain verification, as plain JavaScript source so that the very same
 * code runs in the calling thread (small chains) and in worker threads started with
 * `eval: true` (large ones), with nothing for a bundler to resolve (lib/audit/verify-chain.ts).
 *
 * A chunk is the bytes of COPY text rows in (shard, seq) order with the columns of VERIFY_COLUMNS. Each row's
 * hash is recomputed from the stored text, and each row is checked against the one before it in
 * the chunk; the caller stitches chunks together with `first` and `ends`.
 * Result: { first: [shard, seq, prevHash] | null, count, problem: [shard, seq, kind] | null,
 *           ends: [[shard, lastSeq, lastHash]...] (verified rows only), marks: [[shard, seq, hash]...] }
 */
export const VERIFY_CHUNK_SOURCE = String.raw`
function verifyChunk(buf, positions, crypto) {
  var GENESIS = "0000000000000000000000000000000000000000000000000000000000000000";
  var sha256hex = typeof crypto.hash === "function"
    ? function (data) { return crypto.hash("sha256", data, "hex"); }
    : function (data) { return crypto.createHash("sha256").update(data).digest("hex"); };
  var first = null, problem = null, count = 0, ends = [], marks = [];
  var shard = -1, expected = 0, prevHash = null, segmentRows = 0;
  var pos = 0, n = buf.length, i;
  while (pos < n) {
    var nl = buf.indexOf(10, pos);
    if (nl < 0) nl = n;
    // Columns: hash_version, org_id, shard, seq, ... prev_hash, hash (VERIFY_COLUMNS).
    var t1 = buf.indexOf(9, pos), t2 = buf.indexOf(9, t1 + 1), t3 = buf.indexOf(9, t2 + 1), t4 = buf.indexOf(9, t3 + 1);
    var tHash = buf.lastIndexOf(9, nl - 1), tPrev = buf.lastIndexOf(9, tHash - 1);
    var rowShard = 0, seq = 0;
    for (i = t2 + 1; i < t3; i++) rowShard = rowShard * 10 + buf[i] - 48;
    for (i = t3 + 1; i < t4; i++) seq = seq * 10 + buf[i] - 48;
    var prev = buf.toString("latin1", tPrev + 1, tHash);
    var stored = buf.toString("latin1", tHash + 1, nl);
    if (first === null) first = [rowShard, seq, prev];
    else {
      if (rowShard !== shard) {
        if (segmentRows > 0) ends.push([shard, expected - 1, prevHash]);
        shard = rowShard; expected = 1; prevHash = GENESIS; segmentRows = 0;
      }
      if (seq !== expected) { problem = [rowShard, expected, "missing"]; break; }
      if (prev !== prevHash) { problem = [rowShard, seq, "relinked"]; break; }
    }
    // Version 2 hashes the row's own bytes up to the hash column: nothing to decode or copy.
    var hash = buf[pos] === 50 && t1 === pos + 1 ? sha256hex(buf.subarray(pos, tHash)) : hashV1(buf.toString("utf8", pos, nl), sha256hex);
    pos = nl + 1;
    if (hash !== stored) { problem = [rowShard, seq, "changed"]; break; }
    shard = rowShard; expected = seq + 1; prevHash = stored; segmentRows++; count++;
    if (positions !== null && positions.has(rowShard * 4294967296 + seq)) marks.push([rowShard, seq, stored]);
  }
  if (segmentRows > 0) ends.push([shard, expected - 1, prevHash]);
  return { first: first, count: count, problem: problem, ends: ends, marks: marks };
}

// The fast path (rows in any order, as a sequential or bitmap scan gives them): every row's hash
// is checked, and rows of a shard that follow each other by seq in the chunk are linked here; the
// rest of the linking is done on the caller's thread from each chunk's runs. Result:
// { count, bad, runs: [shard, firstSeq, firstPrev, lastSeq, lastHash, ...], marks }. "bad" only
// says that something does not hold: the caller then re-reads in (shard, seq) order to name it.
function hashChunk(buf, positions, crypto) {
  var sha256hex = typeof crypto.hash === "function"
    ? function (data) { return crypto.hash("sha256", data, "hex"); }
    : function (data) { return crypto.createHash("sha256").update(data).digest("hex"); };
  var runs = [], marks = [], count = 0, bad = false;
  // Per shard (0..15), the open run: first seq, its prev hash, last seq, last hash.
  var firstSeq = new Float64Array(16), lastSeq = new Float64Array(16), firstPrev = new Array(16), lastHash = new Array(16);
  var pos = 0, n = buf.length, i, s;
  while (pos < n) {
    var nl = buf.indexOf(10, pos);
    if (nl < 0) nl = n;
    var t1 = buf.indexOf(9, pos), t2 = buf.indexOf(9, t1 + 1), t3 = buf.indexOf(9, t2 + 1), t4 = buf.indexOf(9, t3 + 1);
    var tHash = buf.lastIndexOf(9, nl - 1), tPrev = buf.lastIndexOf(9, tHash - 1);
    // Anything but plain digits (a negative or huge shard, seq 0...) is left to the ordered check.
    if (t3 - t2 < 2 || t3 - t2 > 3 || t4 - t3 < 2 || t4 - t3 > 16) { bad = true; break; }
    var shard = 0, seq = 0, c;
    for (i = t2 + 1; i < t3; i++) { c = buf[i] - 48; if (c < 0 || c > 9) { bad = true; break; } shard = shard * 10 + c; }
    for (i = t3 + 1; i < t4 && !bad; i++) { c = buf[i] - 48; if (c < 0 || c > 9) { bad = true; break; } seq = seq * 10 + c; }
    if (bad || shard > 15 || seq < 1) { bad = true; break; }
    var hash = buf[pos] === 50 && t1 === pos + 1 ? sha256hex(buf.subarray(pos, tHash)) : hashV1(buf.toString("utf8", pos, nl), sha256hex);
    var stored = buf.toString("latin1", tHash + 1, nl);
    if (hash !== stored) { bad = true; break; }
    var prev = buf.toString("latin1", tPrev + 1, tHash);
    pos = nl + 1;
    count++;
    if (positions !== null && positions.has(shard * 4294967296 + seq)) marks.push([shard, seq, stored]);
    if (firstSeq[shard] > 0 && seq === lastSeq[shard] + 1) {
      if (prev !== lastHash[shard]) { bad = true; break; }
    } else {
      if (firstSeq[shard] > 0) runs.push(shard, firstSeq[shard], firstPrev[shard], lastSeq[shard], lastHash[shard]);
      firstSeq[shard] = seq; firstPrev[shard] = prev;
    }
    lastSeq[shard] = seq; lastHash[shard] = stored;
  }
  for (s = 0; s < 16; s++) if (firstSeq[s] > 0) runs.push(s, firstSeq[s], firstPrev[s], lastSeq[s], lastHash[s]);
  return { count: count, bad: bad, runs: runs, marks: marks };
}

function unescapeCopy(v) {
  return v.replace(/\\(.)/g, function (m, c) {
    return c === "n" ? "\n" : c === "t" ? "\t" : c === "r" ? "\r" : c === "b" ? "\b" : c === "f" ? "\f" : c === "v" ? "\v" : c;
  });
}

// Version 1 (events written before shards): canonical JSON of the parsed fields (lib/audit/hash-event.ts).
function hashV1(line, sha256hex) {
  var f = line.split("\t");
  for (var i = 0; i < f.length; i++) {
    var v = f[i];
    if (v === "\\N") f[i] = null;
    else if (v.indexOf("\\") >= 0) f[i] = unescapeCopy(v);
  }
  var encoded = canonicalJson({
    v: 1, orgId: f[1], seq: +f[3], occurredAt: f[4], actorType: f[5], actorId: f[6], actorLabel: f[7], action: f[8],
    targetType: f[9], targetId: f[10], branchId: f[12], outcome: f[13], ip: f[14], userAgent: f[15], requestId: f[16],
    metadata: JSON.parse(f[17]), prevHash: f[18]
  });
  return sha256hex(encoded);
}

function canonicalJson(value) {
  if (value === null || typeof value !== "object") return JSON.stringify(value === undefined ? null : value);
  if (Array.isArray(value)) return "[" + value.map(function (v) { return v === undefined ? "null" : canonicalJson(v); }).join(",") + "]";
  var keys = Object.keys(value).filter(function (k) { return value[k] !== undefined; }).sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; });
  return "{" + keys.map(function (k) { return JSON.stringify(k) + ":" + canonicalJson(value[k]); }).join(",") + "}";
}
`;

/** The worker's body: one message per chunk (its index, buffer, length and which check), one answer per chunk. */
export const VERIFY_WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const crypto = require("node:crypto");
${VERIFY_CHUNK_SOURCE}
const positions = new Set(workerData.positions);
parentPort.on("message", function (m) {
  var result = (m.inOrder ? verifyChunk : hashChunk)(Buffer.from(m.buffer, 0, m.length), positions, crypto);
  // The buffer goes back to be filled again (the caller keeps a few and reuses them).
  parentPort.postMessage({ index: m.index, result: result, buffer: m.buffer }, [m.buffer]);
});
`;

/** The columns a chunk's rows carry, in order (hash_version, then the version 2 fields, then the hash). */
export const VERIFY_COLUMNS = `hash_version, org_id, shard, seq, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  actor_type, actor_id, actor_label, action, target_type, target_id, target_label, branch_id, outcome, ip, user_agent, request_id,
  metadata, prev_hash, hash`;
