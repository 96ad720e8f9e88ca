import { createPublicKey, generateKeyPair, sign, X509Certificate, type KeyObject } from "node:crypto";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";

/*
 * A self-signed X.509 certificate for one of our SP keys, encoded by hand in DER: Node can verify
 * and parse certificates but not make them, and SAML metadata carries keys as certificates
 * (`ds:X509Certificate`). IdPs use it only as a container for the public key (they trust it
 * because an administrator imported our metadata), so no extensions and no chain are needed.
 */

const generateKeyPairAsync = promisify(generateKeyPair);

/** RSA 2048: what every IdP accepts for request signatures and for RSA-OAEP key transport. */
const MODULUS_BITS = 2048;
const VALID_YEARS = 10;

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, content: Buffer) => Buffer.concat([Buffer.from([tag]), length(content.length), content]);
const sequence = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));

/** A non-negative DER INTEGER from big-endian bytes, minimally encoded (DER refuses a needless leading zero). */
function integer(value: Buffer): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const bytes = value.subarray(start);
  // DER integers are signed: a leading 1 bit needs a 0 byte in front to stay positive.
  return tlv(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function objectId(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const bytes = [a! * 40 + b!];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) chunk.unshift(0x80 | (v & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5). */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, "").slice(0, 14) + "Z";
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), "ascii")) : tlv(0x18, Buffer.from(iso, "ascii"));
}

const commonName = (cn: string) => sequence(tlv(0x31, sequence(objectId("2.5.4.3"), tlv(0x0c, Buffer.from(cn, "utf8")))));
const SHA256_WITH_RSA = sequence(objectId("1.2.840.113549.1.1.11"), Buffer.from([0x05, 0x00]));

/** A v3 certificate for `publicKey`, issued by and to `cn`, signed by `privateKey`; base64 DER. */
export function selfSignedCertificate(privateKey: KeyObject, publicKey: KeyObject, cn: string, now = new Date()): string {
  // 127 random bits, positive and never starting with a zero byte (RFC 5280 4.1.2.2: at most 20 octets).
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x40;
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(now.getUTCFullYear() + VALID_YEARS);
  const tbs = sequence(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    SHA256_WITH_RSA,
    commonName(cn),
    sequence(time(new Date(now.getTime() - 60_000)), time(notAfter)),
    commonName(cn),
    publicKey.export({ type: "spki", format: "der" }),
  );
  const signature = sign("sha256", tbs, privateKey);
  const der = sequence(tbs, SHA256_WITH_RSA, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  // Parsing it back proves the encoding before it is stored or published.
  new X509Certificate(der);
  return der.toString("base64");
}

export interface SpKeyPair {
  /** PKCS#8 PEM: sealed before it is stored. */
  privateKeyPem: string;
  /** Base64 DER, as SAML metadata carries it. */
  certificate: string;
}

/** A fresh RSA key pair and its certificate (off the event loop: key generation takes a while). */
export async function makeSpKeyPair(cn: string): Promise<SpKeyPair> {
  const { privateKey } = await generateKeyPairAsync("rsa", { modulusLength: MODULUS_BITS });
  const publicKey = createPublicKey(privateKey);
  return { privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), certificate: selfSignedCertificate(privateKey, publicKey, cn) };
}
