// The cost table of summary.md and `streamsim cost`: amounts and quantities as a reader reads them.

import { describe, expect, it } from "vitest";
import { costTable, quantity, usd } from "../../reports/cost-md.ts";

describe("cost table", () => {
  it("prints zero quantities as 0, not 0.0000, and keeps small ones readable", () => {
    expect(quantity(0)).toBe("0");
    expect(quantity(0.01234)).toBe("0.0123");
    expect(quantity(12.345)).toBe("12.35");
    expect(quantity(5208.4)).toBe("5,208");
    expect(quantity(-1)).toBe("-1.00");
    expect(usd(0)).toBe("$0.00");
    expect(usd(1234.567)).toBe("$1,234.57");
  });

  it("has one row per line item and a total", () => {
    const table = costTable({
      monthlyUsd: 208.02,
      lineItems: [
        { item: "requests: send", price: "sqs.standard.requests", quantity: 520.05, unit: "million requests", unitPriceUsd: 0.4, monthlyUsd: 208.02 },
        { item: "requests: empty receives", price: "sqs.standard.requests", quantity: 0, unit: "million requests", unitPriceUsd: 0.4, monthlyUsd: 0 },
      ],
      assumptions: [],
    });
    expect(table).toContain("|requests: empty receives|0|million requests|$0.400|$0.00|`sqs.standard.requests`|");
    expect(table).toContain("|**total**||||**$208.02**||");
  });
});
