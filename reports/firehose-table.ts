// The "Firehose deliveries" table of summary.md and report.html: per Firehose delivery to S3, a Direct PUT
// stream's or a Kinesis stream's Firehose consumer's, the objects it wrote, their mean size, the peak
// DataFreshness, where the records it took in are, and (Kinesis source) the readers it shares each
// shard's GetRecords limits with.

import * as aq from "arquero";
import { grouped } from "./numbers.ts";
import type { Summary } from "./summary.ts";

export const firehoseTableHeading = "Firehose deliveries";

const MiB = 1024 * 1024;

function sizeText(bytes: number | null): string {
  return bytes === null ? "-" : `${(bytes / MiB).toFixed(bytes < 10 * MiB ? 2 : 1)} MiB`;
}

export function firehoseTable(systems: Summary["systems"]): aq.ColumnTable | null {
  const rows = systems.flatMap((system) => {
    if (system.kind === "firehose" && system.objects !== undefined) {
      const s3 = system.consumers[0];
      return [
        {
          system: system.name,
          source: "Direct PUT",
          objects: `${grouped(system.objects.delivered)} (${grouped(system.objects.backedUp)} backed up)`,
          "mean object": sizeText(system.objects.meanBytes),
          "DataFreshness max": `${Number(system.facts.dataFreshnessPeakSeconds).toFixed(1)} s`,
          "delivered / buffered or in delivery / backed up": s3 === undefined ? "-" : `${grouped(s3.records.consumed)} / ${grouped(s3.records.unread + s3.records.inFlight)} / ${grouped(s3.records.deadLettered)}`,
          "shares reads with": "-",
        },
      ];
    }
    return system.consumers.flatMap((consumer) => {
      const f = consumer.firehose;
      if (f === undefined) return [];
      return [
        {
          system: `${system.name}/${consumer.name}`,
          source: "Kinesis stream",
          objects: `${grouped(f.objects.delivered)} (${grouped(f.objects.backedUp)} backed up)`,
          "mean object": sizeText(f.objects.meanBytes),
          "DataFreshness max": `${f.dataFreshnessPeakSeconds.toFixed(1)} s`,
          "delivered / buffered or in delivery / backed up": `${grouped(f.records.delivered)} / ${grouped(f.records.buffered + f.records.inDelivery)} / ${grouped(f.records.backedUp)}`,
          "shares reads with": f.sharedWith.length === 0 ? "none" : f.sharedWith.join(", "),
        },
      ];
    });
  });
  return rows.length === 0 ? null : aq.from(rows);
}
