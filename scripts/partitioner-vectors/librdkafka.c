/* Partitions given by librdkafka's own public partitioner functions (rdkafka.h) for each key of
 * keys.hex and each partition count, as CSV on stdout. The hash partitioners read only the key and
 * the count; they still take a topic handle, so the program makes one on a producer that never
 * connects (no bootstrap.servers).
 * Build: cc -O2 -o /tmp/librdkafka-vectors librdkafka.c -lrdkafka
 * Usage: /tmp/librdkafka-vectors < keys.hex > ../../test/fixtures/partitioners/librdkafka.csv */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int32_t counts[] = {3, 12, 64, 500, 10007};
#define COUNTS (sizeof(counts) / sizeof(counts[0]))

typedef int32_t (*partitioner_t)(const rd_kafka_topic_t *, const void *, size_t, int32_t, void *, void *);
static const struct { const char *name; partitioner_t fn; } partitioners[] = {
    {"consistent_random", rd_kafka_msg_partitioner_consistent_random},
    {"consistent", rd_kafka_msg_partitioner_consistent},
    {"murmur2_random", rd_kafka_msg_partitioner_murmur2_random},
    {"fnv1a_random", rd_kafka_msg_partitioner_fnv1a_random},
};
#define PARTITIONERS (sizeof(partitioners) / sizeof(partitioners[0]))

static size_t unhex(const char *hex, unsigned char *out) {
        size_t n = 0;
        while (hex[0] && hex[1] && hex[0] != '\n') {
                unsigned int byte;
                sscanf(hex, "%2x", &byte);
                out[n++] = (unsigned char)byte;
                hex += 2;
        }
        return n;
}

int main(void) {
        char errstr[512];
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, rd_kafka_conf_new(), errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new: %s\n", errstr);
                return 1;
        }
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, "vectors", NULL);
        fprintf(stderr, "librdkafka %s\n", rd_kafka_version_str());
        printf("key_hex");
        for (size_t p = 0; p < PARTITIONERS; p++)
                for (size_t c = 0; c < COUNTS; c++) printf(",%s_%d", partitioners[p].name, counts[c]);
        printf("\n");
        char line[1024];
        unsigned char key[512];
        while (fgets(line, sizeof(line), stdin)) {
                size_t keylen = unhex(line, key);
                if (keylen == 0) continue;
                line[strcspn(line, "\n")] = 0;
                printf("%s", line);
                for (size_t p = 0; p < PARTITIONERS; p++)
                        for (size_t c = 0; c < COUNTS; c++)
                                printf(",%d", partitioners[p].fn(rkt, key, keylen, counts[c], NULL, NULL));
                printf("\n");
        }
        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
        return 0;
}
