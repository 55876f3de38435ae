// Renders vega-lite specs headless: vega-lite compiles, vega draws SVG with no browser and no canvas
// package, resvg turns the SVG into PNG. Fonts: vega's default "sans-serif" comes out as a serif face
// when only DejaVu is installed, so every chart names DejaVu Sans, and resvg is told the same.

import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import * as vegaLite from "vega-lite";
import { dejaVuWidthPx, isBold } from "./text-width.ts";

/** The font every chart uses; Debian's fonts-dejavu-core provides it. */
export const chartFont = "DejaVu Sans";

export type ChartSpec = vegaLite.TopLevelSpec;

/** The shared look: font, sizes, a white background so PNGs and printouts read well. */
export const chartConfig = {
  font: chartFont,
  background: "white",
  axis: { labelFontSize: 11, titleFontSize: 12 },
  // No legend label is cut short ("cooperative · ses…" named no consumer): labelLimit 0 is no limit.
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 0 },
  title: { fontSize: 14, anchor: "start" },
  view: { stroke: null },
} as const;

// vega lays text out by textMetrics.width; with no canvas it guesses 0.8 em a character. Charts are set in
// DejaVu Sans, so they are laid out by its real widths (vega's documented hook, as vl-convert uses it).
// A text with a limit measures at most the limit: vega's truncation asks whether a width is under the
// limit, which this keeps, and the bounds of a cut text are then those of what is drawn.
type TextItem = { fontSize?: number; fontWeight?: unknown; limit?: number };
// vega's typings leave textMetrics out; vega exports it from vega-scenegraph.
const textMetrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } }).textMetrics;
textMetrics.width = (item, text) => {
  const line = text === undefined || text === null ? "" : String(text).trim();
  const sizePx = item.fontSize === undefined || item.fontSize === null ? 11 : Number(item.fontSize) || 0;
  if (sizePx <= 0 || line === "") return 0;
  const widthPx = dejaVuWidthPx(line, sizePx, isBold(item.fontWeight));
  const limitPx = Number(item.limit ?? 0);
  return limitPx > 0 ? Math.min(widthPx, limitPx) : widthPx;
};

/** Compiles a vega-lite spec (with the shared config) and renders it to an SVG document. */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const withConfig = { ...spec, config: { ...chartConfig, ...(spec.config ?? {}) } } as ChartSpec;
  const compiled = vegaLite.compile(withConfig).spec;
  const errors: unknown[] = [];
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logger: collectingLogger(errors) });
  try {
    const svg = await view.toSVG();
    // vega logs a failed expression and carries on with an empty chart; a report must not.
    if (errors.length > 0) throw new Error(`vega could not render the chart "${chartTitle(spec)}": ${errors.map(String).join("; ")}`);
    return svg;
  } finally {
    view.finalize();
  }
}

/** A vega logger that keeps errors (to fail the render) and drops warnings and chatter. */
function collectingLogger(errors: unknown[]): vega.LoggerInterface {
  let level = vega.Warn;
  const logger: vega.LoggerInterface = {
    level(value?: number) {
      if (value === undefined) return level as never;
      level = value;
      return logger as never;
    },
    error(...args: readonly unknown[]) {
      errors.push(args.map(String).join(" "));
      return logger;
    },
    warn: () => logger,
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

function chartTitle(spec: ChartSpec): string {
  const title = (spec as { title?: unknown }).title;
  return typeof title === "string" ? title : "untitled";
}

/** Rasterises an SVG to PNG at the given scale, with system fonts and DejaVu Sans as the sans-serif face. */
export function svgToPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: chartFont, sansSerifFamily: chartFont },
  });
  return resvg.render().asPng();
}
