// A chart as a Vega-Lite document of its own (charts/<name>.vl.json beside the SVG): the spec the SVG
// was rendered from, its data inline, the shared look (render.ts's config) and the caption as its
// description, so it opens in the Vega Editor (https://vega.github.io/editor/) or Altair
// (alt.Chart.from_json) and can be restyled or re-plotted without re-running the scenario.

import { chartConfig, type ChartSpec } from "./render.ts";

/** The Vega-Lite major version the specs are written for (package.json pins vega-lite ~6.4). */
export const vegaLiteSchema = "https://vega.github.io/schema/vega-lite/v6.json";

export function vegaLiteFile(spec: ChartSpec, caption: string): string {
  const { $schema: _schema, config, ...rest } = spec as ChartSpec & { $schema?: string; config?: object };
  const document = { $schema: vegaLiteSchema, description: caption, ...rest, config: { ...chartConfig, ...(config ?? {}) } };
  return `${oneLinePerRow(JSON.stringify(document, null, 2))}\n`;
}

/**
 * Pretty-printed JSON with every flat object (no object or array inside, as each data row is) on one
 * line: readable, and about a third of the size of one key per line. Escaped JSON strings hold no raw
 * newline, and an object with a brace or bracket in a string is simply left as it was.
 */
function oneLinePerRow(json: string): string {
  return json.replace(/\{\n\s+([^{}[\]]*?)\n\s*\}/g, (_, body: string) => `{ ${body.replace(/\n\s+/g, " ")} }`);
}
