// The one colour scale of utilization (a shard's load over its write limit, a partition's part of its
// broker), the same in every chart and every report, so that a colour means one load wherever a
// reviewer sees it: cool (blues) below about 80%, neutral near 80%, warm (orange to red) from 100%,
// where a limit throttles. The domain is fixed, never stretched to a run's maximum, and clamped at
// 200%: hotter cells take the 200% colour, and the chart labels them with their value.

/** The top of the scale: values above it are drawn in its colour and labelled. */
export const utilizationClampMax = 2;

/** Stops of the piecewise-linear scale: more of them where most shards sit (below 80%), so loads there stay apart. */
const stops: ReadonlyArray<readonly [number, string]> = [
  [0, "#2166ac"],
  [0.25, "#4393c3"],
  [0.5, "#92c5de"],
  [0.8, "#f7f7f7"],
  [1, "#f4a582"],
  [1.5, "#d6604d"],
  [utilizationClampMax, "#8c0d25"],
];

/** Legend labels: the neutral point and the limit apart on a vertical gradient long enough that no two labels touch. */
const legendValues = [0, 0.5, 0.8, 1, 1.5, utilizationClampMax];

/** A vega-lite color encoding of `field` (a fraction, 1 = 100%) on the shared scale, with its legend. */
export function utilizationColor(field: string, title: string) {
  return {
    field,
    type: "quantitative",
    title,
    scale: { type: "linear", domain: stops.map(([value]) => value), range: stops.map(([, color]) => color), clamp: true, interpolate: "rgb" },
    legend: {
      direction: "vertical",
      orient: "right",
      gradientLength: 260,
      values: legendValues,
      labelOverlap: false,
      labelExpr: `datum.value >= ${utilizationClampMax} ? '≥${utilizationClampMax * 100}%' : format(datum.value, '.0%')`,
    },
  } as const;
}

/**
 * The scale of a Kafka partition's share of its topic's writes over the fair share (1 = an even split):
 * teal below fair, neutral at 1x, brown above, clamped at 3x. Its own colours, so no one reads it as
 * utilization; a partition's broker has its own limits, shown in the broker figures of the summary.
 */
export const fairShareClampMax = 3;

const fairShareStops: ReadonlyArray<readonly [number, string]> = [
  [0, "#01665e"],
  [0.5, "#80cdc1"],
  [1, "#f5f5f5"],
  [1.5, "#dfc27d"],
  [2, "#bf812d"],
  [fairShareClampMax, "#543005"],
];

/** A vega-lite color encoding of `field` (1 = the fair share) on the fair-share scale, with its legend. */
export function fairShareColor(field: string, title: string[]) {
  return {
    field,
    type: "quantitative",
    title,
    scale: { type: "linear", domain: fairShareStops.map(([value]) => value), range: fairShareStops.map(([, color]) => color), clamp: true, interpolate: "rgb" },
    legend: {
      direction: "vertical",
      orient: "right",
      gradientLength: 220,
      values: fairShareStops.map(([value]) => value),
      labelOverlap: false,
      labelExpr: `datum.value >= ${fairShareClampMax} ? '≥${fairShareClampMax}×' : format(datum.value, '.1~f') + '×'`,
    },
  } as const;
}
