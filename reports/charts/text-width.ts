// Text widths from DejaVu Sans's own advance widths (its hmtx table, in 1/2048 em), which vega uses to lay
// out every chart: headless, with no canvas, vega guesses 0.8 em a character, wider than DejaVu's 0.55-0.64
// em, and sized axes and legends for text that is not there (a rotated shard id left a 50-pixel gap
// before the axis title). Every chart names DejaVu Sans (render.ts), so these are the widths drawn; fonts a
// viewer may fall back to (Arial, Helvetica, Times) are narrower, so nothing drawn overruns its room.

/** Units per em of DejaVu Sans. */
const unitsPerEm = 2048;

/** Advance widths of the printable ASCII characters, code points 32 to 126, regular then bold. */
const asciiRegular = [651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716, 1087, 2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690, 799, 1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569, 1995, 1298, 1253, 1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716];
const asciiBold = [713, 934, 1067, 1716, 1425, 2052, 1786, 627, 936, 936, 1071, 1716, 778, 850, 778, 748, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 819, 819, 1716, 1716, 1716, 1188, 2048, 1585, 1561, 1503, 1700, 1399, 1399, 1681, 1714, 762, 762, 1587, 1305, 2038, 1714, 1741, 1501, 1741, 1577, 1475, 1397, 1663, 1585, 2259, 1579, 1483, 1485, 936, 748, 936, 1716, 1024, 1024, 1382, 1466, 1214, 1466, 1389, 891, 1466, 1458, 702, 702, 1362, 702, 2134, 1458, 1407, 1466, 1466, 1010, 1219, 979, 1458, 1335, 1892, 1321, 1335, 1192, 1458, 748, 1458, 1716];

/** The few other characters the charts write (separators, multiplication sign, ellipsis). */
const otherRegular: Record<string, number> = { "·": 651, "×": 1716, "…": 2048, "–": 1024, "—": 2048, "µ": 1303, "≥": 1716, "≤": 1716, "°": 1024 };
const otherBold: Record<string, number> = { "·": 778, "×": 1716, "…": 2048, "–": 1024, "—": 2048, "µ": 1507, "≥": 1716, "≤": 1716, "°": 1024 };

/** A character not in the tables counts as wide as a digit. */
const fallbackRegular = 1303;
const fallbackBold = 1425;

/** The width in pixels of `text` set in DejaVu Sans at `fontSizePx`, bold or not. */
export function dejaVuWidthPx(text: string, fontSizePx: number, bold = false): number {
  const ascii = bold ? asciiBold : asciiRegular;
  const other = bold ? otherBold : otherRegular;
  let units = 0;
  for (const character of text) {
    const code = character.codePointAt(0)!;
    units += code >= 32 && code <= 126 ? ascii[code - 32] : (other[character] ?? (bold ? fallbackBold : fallbackRegular));
  }
  return (units * fontSizePx) / unitsPerEm;
}

/** Whether a vega text item is set bold ("bold", "bolder" or a weight of 600 and up). */
export function isBold(fontWeight: unknown): boolean {
  if (typeof fontWeight === "number") return fontWeight >= 600;
  return fontWeight === "bold" || fontWeight === "bolder" || (typeof fontWeight === "string" && Number(fontWeight) >= 600);
}
