// A chart that stands alone on a slide: the PNG carries its title, the caption report.html shows
// under it, and what it was made from (scenario or key source, seed, tool version), so a picture
// pasted into a design review still says what it shows and how to reproduce it.

import { renderSvg, svgToPng, type ChartSpec } from "./render.ts";

export interface ChartOrigin {
  /** "scenario iot-zipf-keys" or "keys scenarios/keys/device-keys.csv". */
  source: string;
  /** The run's seed; null where nothing is random (the key lab). */
  seed: number | null;
  toolVersion: string;
}

/** Caption lines are wrapped to the chart's width: about 6.2 pixels a character in 11px DejaVu Sans, at least 60 characters. */
function captionLineChars(spec: ChartSpec): number {
  const width = (spec as { width?: unknown; spec?: { width?: unknown } }).width ?? (spec as { spec?: { width?: unknown } }).spec?.width;
  return Math.max(60, Math.round((typeof width === "number" ? width : 640) / 6.2));
}

/** The origin line under a stand-alone chart's caption. */
export function originLine(origin: ChartOrigin): string {
  const seed = origin.seed === null ? "exact mapping, no seed" : `seed ${origin.seed}`;
  return `${origin.source} · ${seed} · streamsim ${origin.toolVersion}`;
}

/** The spec with its title as the heading and the caption and origin as a subtitle below it. */
export function standaloneSpec(spec: ChartSpec, caption: string, origin: ChartOrigin): ChartSpec {
  const text = titleText(spec);
  const subtitle = [...wrap(caption, captionLineChars(spec)), originLine(origin)];
  return { ...spec, title: { text, subtitle, subtitleFontSize: 11, subtitleColor: "#444", subtitlePadding: 6 } } as ChartSpec;
}

/** The SVG a stand-alone PNG is rasterised from (exported so tests can read its text). */
export async function standaloneSvg(spec: ChartSpec, caption: string, origin: ChartOrigin): Promise<string> {
  return renderSvg(standaloneSpec(spec, caption, origin));
}

export async function standalonePng(spec: ChartSpec, caption: string, origin: ChartOrigin): Promise<Buffer> {
  return svgToPng(await standaloneSvg(spec, caption, origin));
}

function titleText(spec: ChartSpec): string {
  const title = (spec as { title?: unknown }).title;
  if (typeof title === "string") return title;
  if (typeof title === "object" && title !== null && typeof (title as { text?: unknown }).text === "string") return (title as { text: string }).text;
  return "";
}

/** Greedy word wrap; a word longer than a line stands on its own line. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((part) => part !== "")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}
