// Partitions given by kafkajs's own DefaultPartitioner (src/producer/partitioners/default) for each
// key of keys.hex and each partition count, as CSV on stdout. kafkajs is not a dependency of
// streamsim: unpack its npm tarball anywhere and pass the folder.
// Usage: (cd /tmp && npm pack kafkajs && tar xzf kafkajs-*.tgz)
//        node kafkajs.cjs /tmp/package < keys.hex > ../../test/fixtures/partitioners/kafkajs.csv
const path = require("node:path");
const fs = require("node:fs");

const packageDir = process.argv[2];
const version = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")).version;
const { DefaultPartitioner } = require(path.join(packageDir, "src/producer/partitioners"));
const counts = [3, 12, 64, 500, 10007];
const partition = DefaultPartitioner();
const metadata = new Map(counts.map((count) => [count, Array.from({ length: count }, (_, id) => ({ partitionId: id, leader: 0 }))]));

process.stderr.write(`kafkajs ${version}\n`);
const lines = fs.readFileSync(0, "utf8").split("\n").filter((line) => line.length > 0);
const out = [["key_hex", ...counts.map((count) => `murmur2_${count}`)].join(",")];
for (const hex of lines) {
  const key = Buffer.from(hex, "hex");
  out.push([hex, ...counts.map((count) => partition({ topic: "vectors", partitionMetadata: metadata.get(count), message: { key } }))].join(","));
}
process.stdout.write(out.join("\n") + "\n");
