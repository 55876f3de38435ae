// How followers copy their leaders' logs (docs/reference.md §3.3): each follower broker runs one fetch
// loop per leader broker (a replica fetcher thread per source broker, as Apache Kafka's
// num.replica.fetchers 1 does). A fetch asks, for every partition the pair shares, from the offset
// the follower holds; the leader answers at once when it has anything past it (up to
// replica.fetch.max.bytes per partition and replica.fetch.response.max.bytes in all), else holds the
// fetch until data arrives or replica.fetch.wait.max.ms passes. The answer crosses the inter-broker
// network, the follower writes it, and its next fetch tells the leader what it now holds: that is
// when the high watermark moves. The leader handles each fetch once (one request, however many
// partitions it carries) and sends its bytes; the follower receives and writes them.
//
// Events: a fetch held at the leader is answered inside the append that gives it data, so a loop
// costs no event of its own while it keeps up. A fetch still on its way when data is appended gets
// one event, when it reaches the leader. One timer per loop stands for the empty answers an idle
// loop gets every replica.fetch.wait.max.ms (and the handler time they take).

import { roundHalfUp, truncate, type Simulation } from "../engine/index.ts";
import type { LatencySampler, ReadMeasure } from "../workload/index.ts";
import type { Broker } from "./broker.ts";
import { batchHeaderBytes } from "./limits.ts";
import type { Partition } from "./partition.ts";

export interface ReplicationSettings {
  /** Round trip between two brokers (a fetch out, its answer back). */
  roundTrip: LatencySampler;
  /** replica.fetch.wait.max.ms. */
  fetchWaitMaxUs: number;
  /** replica.fetch.max.bytes, per partition. */
  partitionBytesMax: number;
  /** replica.fetch.response.max.bytes, per fetch. */
  responseBytesMax: number;
  endUs: number;
}

/** What the model does when followers were sent data. */
export interface ReplicationListener {
  /** Followers were sent data of partitions `leader` leads: when the high watermark passes it is known now. */
  copied(leader: number): void;
  /** Data of these partitions reaches the high watermark at a time now known: called then. */
  visible: ((partitions: Partition[]) => void) | null;
}

/** One follower's fetch loop against one leader. */
interface Fetcher {
  leader: number;
  follower: number;
  /** When the follower's current fetch reaches (or reached) the leader; it waits there from then on. */
  sinceUs: number;
  /** An event is due at sinceUs: data came while the fetch was on its way. */
  arrivalPending: boolean;
  timerPending: boolean;
  /** The partitions it copies: led by its leader, with its follower in sync (as of `version`). */
  partitions: Partition[];
  version: number;
  /** Those of them with data past what the follower was sent (each listed once). */
  pending: Partition[];
}

export class ReplicaFetchers {
  /** Fetch loops by leader broker, and by leader x broker count + follower. */
  private readonly byLeader: Fetcher[][];
  private readonly byPair: Fetcher[] = [];
  private version = 0;
  private readonly measure: ReadMeasure = { count: 0, bytes: 0, lastArrivalUs: -1 };
  private readonly arrivalHandler = (fetcher: Fetcher): void => this.arrival(fetcher);
  private readonly timerHandler = (fetcher: Fetcher): void => this.timer(fetcher);
  private readonly visibleHandler = (partitions: Partition[]): void => this.listener.visible?.(partitions);
  /** Scratch space for one answer: the partitions it carries, each follower's index there, and the end offset sent. */
  private readonly sentPartitions: Partition[] = [];
  private readonly sentIndex: number[] = [];
  private readonly sentEnd: number[] = [];

  constructor(
    private readonly sim: Simulation,
    private readonly brokers: Broker[],
    private readonly partitions: Partition[],
    private readonly settings: ReplicationSettings,
    private readonly listener: ReplicationListener,
  ) {
    this.byLeader = brokers.map(() => []);
    for (let leader = 0; leader < brokers.length; leader++) {
      for (let follower = 0; follower < brokers.length; follower++) {
        const fetcher: Fetcher = { leader, follower, sinceUs: 0, arrivalPending: false, timerPending: false, partitions: [], version: -1, pending: [] };
        this.byPair.push(fetcher);
        if (follower !== leader) this.byLeader[leader].push(fetcher);
      }
    }
  }

  /** The loops start (each fetch at the leader, waiting). */
  start(): void {
    for (const fetchers of this.byLeader) for (const fetcher of fetchers) if (this.runs(fetcher)) this.holdUntil(fetcher, this.settings.fetchWaitMaxUs);
  }

  /** The leader appended a batch to the partition: its followers' loops list it. */
  appended(partition: Partition): void {
    const followers = partition.followers;
    for (let index = 0; index < followers.length; index++) {
      if (partition.listedFor(index)) continue;
      partition.setListedFor(index, true);
      this.byPair[partition.leader * this.brokers.length + followers[index]].pending.push(partition);
    }
  }

  /** The leader appended a produce request: fetches waiting at it with data listed are answered now, those on their way when they arrive. */
  answerWaiting(leader: number): void {
    const now = this.sim.nowUs;
    for (const fetcher of this.byLeader[leader]) {
      if (fetcher.pending.length === 0 || fetcher.arrivalPending || !this.bothUp(fetcher)) continue;
      if (fetcher.sinceUs <= now) this.answer(fetcher);
      else this.arriveAt(fetcher);
    }
  }

  /**
   * Leaders or in-sync replicas changed (a fence, a return, new partitions): loops look again at what
   * they copy and what of it has data, and stopped loops restart.
   */
  topologyChanged(): void {
    this.version++;
    const now = this.sim.nowUs;
    for (const fetchers of this.byLeader) {
      for (const fetcher of fetchers) {
        fetcher.pending = [];
        for (const partition of this.partitionsOf(fetcher)) {
          const index = partition.followers.indexOf(fetcher.follower);
          const listed = partition.requestedSeq(index) < partition.log.tailSeq;
          partition.setListedFor(index, listed);
          if (listed) fetcher.pending.push(partition);
        }
        if (!this.runs(fetcher)) continue;
        fetcher.sinceUs = Math.max(fetcher.sinceUs, now);
        if (fetcher.pending.length > 0 && !fetcher.arrivalPending) this.arriveAt(fetcher);
        this.holdUntil(fetcher, fetcher.sinceUs + this.settings.fetchWaitMaxUs);
      }
    }
  }

  private arriveAt(fetcher: Fetcher): void {
    if (fetcher.sinceUs > this.settings.endUs) return;
    fetcher.arrivalPending = true;
    this.sim.at(fetcher.sinceUs, this.arrivalHandler, fetcher);
  }

  /** A fetch that was on its way when data came reaches the leader. */
  private arrival(fetcher: Fetcher): void {
    fetcher.arrivalPending = false;
    if (this.bothUp(fetcher)) this.answer(fetcher);
  }

  /**
   * The loop's timer: a fetch that waited replica.fetch.wait.max.ms at the leader with nothing to copy
   * is answered empty (the handler time it takes is charged) and the follower fetches again.
   */
  private timer(fetcher: Fetcher): void {
    fetcher.timerPending = false;
    if (!this.runs(fetcher)) return;
    const now = this.sim.nowUs;
    const deadlineUs = fetcher.sinceUs + this.settings.fetchWaitMaxUs;
    if (now >= deadlineUs && !fetcher.arrivalPending) {
      const sentUs = this.brokers[fetcher.leader].send(now, 0, this.settings.endUs, true);
      fetcher.sinceUs = sentUs + this.settings.roundTrip.sampleUs();
    }
    this.holdUntil(fetcher, fetcher.sinceUs + this.settings.fetchWaitMaxUs);
  }

  /** One timer event at a time per loop. */
  private holdUntil(fetcher: Fetcher, deadlineUs: number): void {
    if (fetcher.timerPending || deadlineUs > this.settings.endUs) return;
    fetcher.timerPending = true;
    this.sim.at(deadlineUs, this.timerHandler, fetcher);
  }

  /** The leader answers the fetch (at the leader now) with what each listed partition has past the follower's offset, if anything. */
  private answer(fetcher: Fetcher): void {
    const now = this.sim.nowUs;
    const { partitionBytesMax, responseBytesMax, endUs } = this.settings;
    const pending = fetcher.pending;
    let bytes = 0;
    let sent = 0;
    let kept = 0;
    for (const partition of pending) {
      const index = partition.followers.indexOf(fetcher.follower);
      const fromSeq = partition.requestedSeq(index);
      const log = partition.log;
      if (fromSeq >= log.tailSeq) {
        partition.setListedFor(index, false);
        continue;
      }
      if (bytes >= responseBytesMax) {
        pending[kept++] = partition;
        continue;
      }
      // A follower asks from the end of a batch it was sent; what follows it usually fits the caps whole.
      const fromRun = log.runOf(fromSeq);
      const capBytes = Math.min(partitionBytesMax, responseBytesMax - bytes);
      const wholeBytes = log.bytesTotal - log.bytesBeforeAt(fromRun);
      let endSeq = log.tailSeq;
      if (log.firstSeqAt(fromRun) === fromSeq && wholeBytes <= capBytes) bytes += wholeBytes + batchHeaderBytes * (log.tailRun - fromRun);
      else {
        const read = log.measure(fromSeq, Infinity, capBytes, this.measure);
        endSeq = fromSeq + read.count;
        bytes += read.bytes + batchHeaderBytes * (log.runOf(endSeq - 1) - fromRun + 1);
      }
      if (endSeq < log.tailSeq) pending[kept++] = partition;
      else partition.setListedFor(index, false);
      this.sentPartitions[sent] = partition;
      this.sentIndex[sent] = index;
      this.sentEnd[sent++] = endSeq;
    }
    truncate(pending, kept);
    if (sent === 0) return;
    const roundTripUs = this.settings.roundTrip.sampleUs();
    // Both ends see the bytes now (see broker.ts): the follower holds them once the leader has sent
    // them, it has written them, and they crossed half a round trip; the leader learns so when the
    // follower's next fetch arrives, half a round trip later.
    const sentUs = this.brokers[fetcher.leader].send(now, bytes, endUs, true);
    const heldUs = roundHalfUp(Math.max(sentUs, this.brokers[fetcher.follower].replicate(now, bytes, endUs)) + roundTripUs / 2);
    const nextFetchUs = heldUs + roundHalfUp(roundTripUs / 2);
    let visibleUs = -1;
    for (let i = 0; i < sent; i++) {
      const partition = this.sentPartitions[i];
      partition.copying(this.sentIndex[i], this.sentEnd[i], heldUs, nextFetchUs);
      if (this.listener.visible !== null) visibleUs = Math.max(visibleUs, partition.highWatermarkTimeUs(this.sentEnd[i], now));
    }
    fetcher.sinceUs = nextFetchUs;
    // A capped answer left data behind: the next fetch takes it as soon as it arrives.
    if (kept > 0) this.arriveAt(fetcher);
    this.listener.copied(fetcher.leader);
    if (visibleUs > now && visibleUs <= endUs) this.sim.at(visibleUs, this.visibleHandler, fetcher.partitions);
  }

  private bothUp(fetcher: Fetcher): boolean {
    return this.brokers[fetcher.leader].up && this.brokers[fetcher.follower].up;
  }

  /** A loop runs while both its brokers are up and they share a partition (no fetcher thread otherwise). */
  private runs(fetcher: Fetcher): boolean {
    return this.bothUp(fetcher) && this.partitionsOf(fetcher).length > 0;
  }

  private partitionsOf(fetcher: Fetcher): Partition[] {
    if (fetcher.version !== this.version) {
      fetcher.partitions = this.partitions.filter((partition) => partition.leader === fetcher.leader && partition.followers.includes(fetcher.follower));
      fetcher.version = this.version;
    }
    return fetcher.partitions;
  }
}
