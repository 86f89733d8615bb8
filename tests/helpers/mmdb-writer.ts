/**
 * A small MaxMind DB writer (format 2.0, https://maxmind.github.io/MaxMind-DB/)
 * for test fixtures: the GeoIP lookup is tested against a real .mmdb file
 * made here, so no database is downloaded.
 *
 * File layout, in order:
 *   1. binary search tree: `node_count` nodes of two records each (record size
 *      32 bits, so 8 bytes a node: left record = bit 0, right record = bit 1,
 *      both big-endian). A record is a node number (< node_count), "no data"
 *      (= node_count) or a data pointer (= node_count + 16 + offset into the
 *      data section). Node 0 is the root; each level is one bit of the address.
 *   2. 16 zero bytes (the data section separator).
 *   3. data section: the records' values, each encoded once.
 *   4. "\xAB\xCD\xEFMaxMind.com" followed by the metadata map.
 *
 * Data encoding: a control byte holds the type in its top 3 bits and the
 * payload size in its low 5 (< 29: the size itself; 29/30/31: 1/2/3 more
 * bytes follow holding size − 29 / − 285 / − 65,821). Types 8 and up are
 * "extended": the top bits are 0 and the next byte holds type − 7. Written
 * here: UTF-8 string (2), double (3), uint16 (5), uint32 (6), map (7, size =
 * number of pairs, then key, value, …), uint64 (9), array (11), boolean (14,
 * the size is the value). Not written: pointers, bytes, int32, uint128, float.
 *
 * `ipVersion: 6` (the default, like GeoLite2 and DB-IP) puts IPv4 networks
 * where readers look for them, at ::a.b.c.d (the first 96 bits zero); the
 * ::ffff:0:0/96 and 2002::/16 aliases of real databases are left out.
 * Networks must not overlap (a more specific network inside another one is
 * refused rather than split).
 */
import { isIPv4, isIPv6 } from "node:net";

/** A value typed explicitly where the spec requires it (metadata's uint16/uint64 keys). */
export class MmdbUint {
  constructor(
    readonly bits: 16 | 32 | 64,
    readonly value: number | bigint,
  ) {}
}
export const uint16 = (value: number) => new MmdbUint(16, value);
export const uint64 = (value: number | bigint) => new MmdbUint(64, value);

/** Plain numbers are written as uint32 when they are whole and fit, else as double. */
export type MmdbValue = string | number | boolean | MmdbUint | MmdbValue[] | { [key: string]: MmdbValue };

export type MmdbNetwork = { network: string; data: MmdbValue };

export type MmdbOptions = {
  databaseType?: string;
  ipVersion?: 4 | 6;
  languages?: string[];
  description?: Record<string, string>;
  buildEpoch?: number;
};

const METADATA_MARKER = Buffer.concat([Buffer.from([0xab, 0xcd, 0xef]), Buffer.from("MaxMind.com", "ascii")]);
const SEPARATOR_BYTES = 16;

// ---- data section -------------------------------------------------------

function control(type: number, size: number): Buffer {
  let sizeBits: number;
  let extra: Buffer;
  if (size < 29) {
    sizeBits = size;
    extra = Buffer.alloc(0);
  } else if (size < 285) {
    sizeBits = 29;
    extra = Buffer.from([size - 29]);
  } else if (size < 65_821) {
    sizeBits = 30;
    extra = Buffer.alloc(2);
    extra.writeUInt16BE(size - 285);
  } else {
    sizeBits = 31;
    extra = Buffer.alloc(3);
    extra.writeUIntBE(size - 65_821, 0, 3);
  }
  const head = type <= 7 ? Buffer.from([(type << 5) | sizeBits]) : Buffer.from([sizeBits, type - 7]);
  return Buffer.concat([head, extra]);
}

/** Big-endian bytes without leading zeros (0 is zero bytes long). */
function uintBytes(value: number | bigint, maxBytes: number): Buffer {
  let v = BigInt(value);
  if (v < 0n || v >= 1n << BigInt(maxBytes * 8)) throw new RangeError(`${value} passt nicht in ${maxBytes * 8} Bit`);
  const bytes: number[] = [];
  while (v > 0n) {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  }
  return Buffer.from(bytes);
}

/** Encodes one value of the data section (or of the metadata). */
export function encodeValue(value: MmdbValue): Buffer {
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([control(2, bytes.length), bytes]);
  }
  if (typeof value === "boolean") return control(14, value ? 1 : 0);
  if (typeof value === "number") {
    if (Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff) return encodeValue(new MmdbUint(32, value));
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleBE(value);
    return Buffer.concat([control(3, 8), bytes]);
  }
  if (value instanceof MmdbUint) {
    const type = { 16: 5, 32: 6, 64: 9 }[value.bits];
    const bytes = uintBytes(value.value, value.bits / 8);
    return Buffer.concat([control(type, bytes.length), bytes]);
  }
  if (Array.isArray(value)) return Buffer.concat([control(11, value.length), ...value.map(encodeValue)]);
  const entries = Object.entries(value);
  return Buffer.concat([control(7, entries.length), ...entries.flatMap(([k, v]) => [encodeValue(k), encodeValue(v)])]);
}

// ---- search tree --------------------------------------------------------

type Leaf = { data: MmdbValue };
type TreeNode = { children: [Child, Child] };
type Child = TreeNode | Leaf | null;

/** The network's address as bits of the tree (32 for IPv4 trees, 128 for IPv6 trees) and its prefix length in that tree. */
function networkBits(network: string, ipVersion: 4 | 6): { bits: number[]; prefix: number } {
  const [address, prefixText] = network.split("/");
  const prefix = Number(prefixText);
  let bytes: number[];
  let offset = 0;
  if (isIPv4(address)) {
    bytes = address.split(".").map(Number);
    if (ipVersion === 6) {
      bytes = [...new Array(12).fill(0), ...bytes];
      offset = 96;
    }
  } else if (isIPv6(address) && ipVersion === 6) {
    bytes = ipv6Bytes(address);
  } else {
    throw new Error(`Netz ${network} passt nicht in eine IPv${ipVersion}-Datenbank`);
  }
  const total = prefix + offset;
  if (!Number.isInteger(prefix) || prefix < 1 || total > bytes.length * 8) throw new Error(`Ungültige Präfixlänge in ${network}`);
  const bits = bytes.flatMap((b) => [7, 6, 5, 4, 3, 2, 1, 0].map((i) => (b >> i) & 1));
  return { bits, prefix: total };
}

function ipv6Bytes(address: string): number[] {
  const [head, tail = ""] = address.split("::");
  const groups = (part: string) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const h = groups(head);
  const t = groups(tail);
  const all = address.includes("::") ? [...h, ...new Array(8 - h.length - t.length).fill(0), ...t] : h;
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

function insert(root: TreeNode, network: string, data: MmdbValue, ipVersion: 4 | 6) {
  const { bits, prefix } = networkBits(network, ipVersion);
  let node = root;
  for (let depth = 0; depth < prefix - 1; depth++) {
    const bit = bits[depth];
    const child = node.children[bit];
    if (child && "data" in child) throw new Error(`${network} überschneidet sich mit einem anderen Netz`);
    node = child ?? (node.children[bit] = { children: [null, null] });
  }
  const last = bits[prefix - 1];
  if (node.children[last]) throw new Error(`${network} überschneidet sich mit einem anderen Netz`);
  node.children[last] = { data };
}

// ---- file ----------------------------------------------------------------

/** Builds the bytes of a .mmdb file mapping each network to its data. */
export function writeMmdb(networks: MmdbNetwork[], options: MmdbOptions = {}): Buffer {
  const ipVersion = options.ipVersion ?? 6;
  const root: TreeNode = { children: [null, null] };
  for (const { network, data } of networks) insert(root, network, data, ipVersion);

  // Number the nodes breadth-first (the root is node 0).
  const nodes: TreeNode[] = [];
  for (let queue: TreeNode[] = [root]; queue.length > 0; ) {
    const node = queue.shift()!;
    nodes.push(node);
    for (const child of node.children) if (child && "children" in child) queue.push(child);
  }
  const index = new Map(nodes.map((n, i) => [n, i]));
  const nodeCount = nodes.length;

  // Each distinct value is stored once; equal records share it.
  const chunks: Buffer[] = [];
  const offsets = new Map<string, number>();
  let dataSize = 0;
  const dataOffset = (value: MmdbValue) => {
    const encoded = encodeValue(value);
    const key = encoded.toString("hex");
    let offset = offsets.get(key);
    if (offset === undefined) {
      offset = dataSize;
      offsets.set(key, offset);
      chunks.push(encoded);
      dataSize += encoded.length;
    }
    return offset;
  };

  const record = (child: Child) => (child === null ? nodeCount : "children" in child ? index.get(child)! : nodeCount + SEPARATOR_BYTES + dataOffset(child.data));
  const tree = Buffer.alloc(nodeCount * 8);
  nodes.forEach((node, i) => {
    tree.writeUInt32BE(record(node.children[0]), i * 8);
    tree.writeUInt32BE(record(node.children[1]), i * 8 + 4);
  });

  const metadata = encodeValue({
    node_count: new MmdbUint(32, nodeCount),
    record_size: uint16(32),
    ip_version: uint16(ipVersion),
    database_type: options.databaseType ?? "Test-City",
    languages: options.languages ?? ["de", "en"],
    binary_format_major_version: uint16(2),
    binary_format_minor_version: uint16(0),
    build_epoch: uint64(options.buildEpoch ?? Math.floor(Date.now() / 1000)),
    description: options.description ?? { en: "Test fixture", de: "Testdatenbank" },
  });
  return Buffer.concat([tree, Buffer.alloc(SEPARATOR_BYTES), ...chunks, METADATA_MARKER, metadata]);
}
