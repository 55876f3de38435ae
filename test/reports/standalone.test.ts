// A PNG stands alone on a slide: the SVG it is rasterised from carries the chart's title, its caption,
// the scenario, the seed and the tool version (read from the SVG's text before rasterising).

import { describe, expect, it } from "vitest";
import { buildCharts } from "../../reports/charts/index.ts";
import { originLine, standaloneSvg, wrap } from "../../reports/charts/standalone.ts";
import { buildSummary } from "../../reports/summary.ts";
import { runHeadline } from "./headline.ts";

/** Every text the SVG draws, entities decoded as far as these texts need. */
function svgTexts(svg: string): string {
  return [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/gs)].map((match) => match[1].replace(/<[^>]+>/g, " ").replace(/&amp;/g, "&").replace(/&#39;/g, "'").replace(/&quot;/g, '"')).join(" ");
}

describe("stand-alone chart PNGs", () => {
  it("carry title, caption, scenario, seed and version in every chart of the headline report", async () => {
    const result = runHeadline();
    const summary = buildSummary(result);
    const origin = { source: `scenario ${summary.scenario}`, seed: summary.seed, toolVersion: summary.tool.version };
    for (const chart of buildCharts(result, summary)) {
      const texts = svgTexts(await standaloneSvg(chart.spec, chart.caption, origin));
      const title = (chart.spec as { title: string }).title;
      expect(texts, chart.name).toContain(title);
      // The caption is wrapped over lines: every word is drawn, in order.
      expect(texts.replace(/\s+/g, " "), chart.name).toContain(chart.caption.split(/\s+/).slice(0, 6).join(" "));
      expect(texts).toContain(`scenario iot-zipf-keys · seed 42 · streamsim ${summary.tool.version}`);
    }
  }, 60_000);

  it("says when nothing was random (the key lab)", () => {
    expect(originLine({ source: "keys k.csv", seed: null, toolVersion: "1.2.3" })).toBe("keys k.csv · exact mapping, no seed · streamsim 1.2.3");
  });

  it("wraps a caption into lines of at most the width, keeping every word", () => {
    const lines = wrap("a ".repeat(100).trim(), 20);
    expect(lines.every((line) => line.length <= 20)).toBe(true);
    expect(lines.join(" ").split(" ").length).toBe(100);
  });
});

import { coincidingSeries } from "../../reports/charts/lag.ts";
import { chartText } from "../../reports/charts/messages.ts";

describe("overlapping lag series", () => {
  it("are named in the caption when they coincide within 1% of the chart's height", () => {
    const rows = (system: string, values: number[]) => values.map((lagSeconds) => ({ system, consumer: "sessions", lagSeconds }));
    const eager = rows("eager", [0.0248, 0.02, 47.22, 47.22]);
    const cooperative = rows("cooperative", [0.0229, 0.0235, 47.218, 47.218]);
    expect(coincidingSeries([...eager, ...cooperative])).toEqual([["eager · sessions", "cooperative · sessions"]]);
    expect(coincidingSeries([...eager, ...rows("cooperative", [0.02, 0.02, 30, 30])])).toEqual([]);
    expect(chartText.lag.coincide([["eager · sessions", "cooperative · sessions"]])).toMatch(/^eager · sessions and cooperative · sessions coincides? over the whole run/);
  });
});
