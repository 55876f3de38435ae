// What the cost model returns per system: monthly line items driven by what the simulation did.

/** One line of a bill: `quantity` of `unit` in a 720-hour month at `unitPriceUsd` each. */
export interface LineItem {
  item: string;
  /** The price-table name that priced it (override it in the scenario's `pricing:` block). */
  price: string;
  quantity: number;
  unit: string;
  unitPriceUsd: number;
  monthlyUsd: number;
}

export interface SystemCost {
  system: string;
  monthlyUsd: number;
  lineItems: LineItem[];
  /** What the figures assume (AZ placement, projection, what is left out), for the report. */
  assumptions: string[];
}

/** The part of the run that is billed and how it scales to a month. */
export interface BillingWindow {
  startUs: number;
  endUs: number;
  hours: number;
  seconds: number;
  /** 720 h over the window's hours: multiplies every counted quantity into a monthly one. */
  monthlyFactor: number;
}
