#!/bin/sh
# Remakes test/fixtures/partitioners/*.csv: librdkafka via its C API, kafkajs from its npm tarball
# (not a streamsim dependency), sarama by its algorithm (Go not needed). Keys come from keys.mjs.
# Needs: a C compiler and librdkafka-dev (Debian: apt-get install librdkafka-dev), npm, node.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
fixtures="$here/../../test/fixtures/partitioners"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$fixtures"
node "$here/keys.mjs" > "$work/keys.hex"
cc -O2 -Wall -o "$work/librdkafka-vectors" "$here/librdkafka.c" -lrdkafka
"$work/librdkafka-vectors" < "$work/keys.hex" > "$fixtures/librdkafka.csv"
(cd "$work" && npm pack --silent kafkajs@2.2.4 > /dev/null && tar xzf kafkajs-*.tgz)
node "$here/kafkajs.cjs" "$work/package" < "$work/keys.hex" > "$fixtures/kafkajs.csv"
node "$here/sarama.mjs" < "$work/keys.hex" > "$fixtures/sarama.csv"
wc -l "$fixtures"/*.csv
