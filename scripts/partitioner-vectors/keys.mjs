// Writes the keys every partitioner vector is made for, one per line as the hex of its UTF-8 bytes:
// template keys users write ("user-{i}", "sensor-{i}"), random ASCII of 1 to 64 bytes (every tail
// length of murmur2's 4-byte blocks) and keys with 2-, 3- and 4-byte UTF-8 characters. No empty
// key: librdkafka's consistent_random sends a zero-length key to a random partition.
// Usage: node keys.mjs > keys.hex   (deterministic: a fixed seed)
import seedrandom from "seedrandom";

const random = seedrandom("streamsim partitioner vectors");
const keys = [];
for (let i = 0; i < 400; i++) keys.push(`user-${i}`);
for (let i = 0; i < 300; i++) keys.push(`sensor-${i * 37}`);
for (let i = 0; i < 100; i++) keys.push(String(i * 7919));
const ascii = " !#$%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
for (let i = 0; i < 1000; i++) {
  const length = 1 + Math.floor(random() * 64);
  let key = "";
  for (let j = 0; j < length; j++) key += ascii[Math.floor(random() * ascii.length)];
  keys.push(key);
}
const wide = ["é", "ü", "ß", "€", "中", "文", "ключ", "🙂", "𝄞"];
for (let i = 0; i < 400; i++) {
  const length = 1 + Math.floor(random() * 12);
  let key = "";
  for (let j = 0; j < length; j++) key += random() < 0.5 ? wide[Math.floor(random() * wide.length)] : ascii[Math.floor(random() * ascii.length)];
  keys.push(key);
}
const unique = [...new Set(keys)];
process.stdout.write(unique.map((key) => Buffer.from(key, "utf8").toString("hex")).join("\n") + "\n");
