/**
 * Northwind Supply's demo catalog: about 200 industrial supplies, the same on every fresh
 * install. The first eight are the SKUs Acme's demo orders were placed with.
 */
export interface DemoProduct {
  sku: string;
  name: string;
  category: string;
  unit: string;
  /** The USD list price in cents; the other currencies are derived from it. */
  usd: number;
  active: boolean;
}

const classics: DemoProduct[] = [
  { sku: "HX-2210", name: "Hex bolt M10 x 50, zinc, box of 100", category: "Fasteners", unit: "box", usd: 1899, active: true },
  { sku: "BRG-6204", name: "Deep groove ball bearing 6204-2RS", category: "Bearings", unit: "each", usd: 745, active: true },
  { sku: "GLV-NIT-L", name: "Nitrile gloves, large, case of 1000", category: "Safety", unit: "case", usd: 6450, active: true },
  { sku: "FLT-HEPA-24", name: "HEPA filter 24 x 24 x 12", category: "Filters", unit: "each", usd: 21900, active: true },
  { sku: "LBL-4X6", name: "Thermal shipping labels 4x6, roll of 500", category: "Packaging", unit: "roll", usd: 1425, active: true },
  { sku: "PLT-48X40", name: "Wood pallet 48 x 40, heat treated", category: "Packaging", unit: "each", usd: 1850, active: true },
  { sku: "DRL-18V", name: "Cordless drill 18V with two batteries", category: "Power tools", unit: "each", usd: 18900, active: true },
  { sku: "TAPE-PKG", name: "Packaging tape 48 mm, case of 36", category: "Packaging", unit: "case", usd: 5220, active: true },
];

// Families of products, each expanded over its sizes: [prefix, category, unit, base USD cents, name template, sizes].
const families: Array<[string, string, string, number, (size: string) => string, string[]]> = [
  ["HB", "Fasteners", "box", 1290, (s) => `Hex bolt ${s}, zinc, box of 100`, ["M6 x 20", "M6 x 30", "M8 x 25", "M8 x 40", "M10 x 30", "M12 x 40", "M12 x 60", "M16 x 80"]],
  ["HN", "Fasteners", "box", 690, (s) => `Hex nut ${s}, zinc, box of 200`, ["M6", "M8", "M10", "M12", "M16", "M20"]],
  ["FW", "Fasteners", "box", 450, (s) => `Flat washer ${s}, stainless, box of 200`, ["M6", "M8", "M10", "M12", "M16", "M20"]],
  ["WS", "Fasteners", "box", 980, (s) => `Wood screw ${s}, box of 500`, ["3.5 x 30", "4 x 40", "4 x 50", "5 x 60", "5 x 80", "6 x 100"]],
  ["BRG", "Bearings", "each", 620, (s) => `Deep groove ball bearing ${s}-2RS`, ["6000", "6001", "6002", "6003", "6005", "6200", "6201", "6202", "6203", "6205", "6206", "6305"]],
  ["VB", "Power transmission", "each", 1340, (s) => `V-belt ${s}`, ["A32", "A40", "A48", "B38", "B46", "B55", "B68"]],
  ["GLV", "Safety", "case", 5900, (s) => `Nitrile gloves, ${s}, case of 1000`, ["small", "medium", "x-large"]],
  ["GLC", "Safety", "pair", 1190, (s) => `Cut-resistant gloves, level ${s}, pair`, ["A2", "A3", "A4", "A5"]],
  ["EYE", "Safety", "each", 690, (s) => `Safety glasses, ${s} lens`, ["clear", "grey", "amber", "anti-fog clear"]],
  ["EAR", "Safety", "box", 2890, (s) => `Ear plugs, ${s}, box of 200 pairs`, ["foam", "corded", "detectable"]],
  ["HAT", "Safety", "each", 1850, (s) => `Hard hat, ${s}`, ["white", "yellow", "blue", "orange"]],
  ["VST", "Safety", "each", 1290, (s) => `Hi-vis vest, class 2, ${s}`, ["M", "L", "XL", "2XL"]],
  ["FLT", "Filters", "each", 1490, (s) => `Pleated air filter ${s}, MERV 13`, ["16 x 20 x 2", "16 x 25 x 2", "20 x 20 x 2", "20 x 25 x 2", "24 x 24 x 2"]],
  ["HYD", "Filters", "each", 3390, (s) => `Hydraulic return filter ${s}`, ["10 micron", "25 micron"]],
  ["BOX", "Packaging", "bundle", 2190, (s) => `Corrugated box ${s}, bundle of 25`, ["12 x 12 x 12", "16 x 12 x 12", "18 x 18 x 18", "20 x 20 x 20", "24 x 18 x 18"]],
  ["STR", "Packaging", "roll", 4890, (s) => `Stretch wrap ${s}`, ["18 in x 1500 ft", "20 in x 1500 ft"]],
  ["BUB", "Packaging", "roll", 3650, (s) => `Bubble wrap ${s}`, ["12 in x 250 ft", "24 in x 250 ft"]],
  ["DRL", "Power tools", "each", 15900, (s) => `Cordless ${s}, 18V, bare tool`, ["drill", "impact driver", "angle grinder", "circular saw", "reciprocating saw", "jigsaw"]],
  ["BIT", "Power tools", "set", 2490, (s) => `Drill bit set, ${s}`, ["HSS 19 pieces", "cobalt 15 pieces", "masonry 8 pieces", "wood spade 6 pieces"]],
  ["DSC", "Abrasives", "box", 2290, (s) => `Flap disc 125 mm, grit ${s}, box of 10`, ["40", "60", "80", "120"]],
  ["SND", "Abrasives", "box", 1590, (s) => `Sanding sheets, grit ${s}, box of 50`, ["80", "120", "180", "240"]],
  ["CLN", "Cleaning", "case", 3490, (s) => `${s}, case of 4`, ["Degreaser 1 gal", "Floor cleaner 1 gal", "Glass cleaner 1 gal", "Hand soap 1 gal"]],
  ["WIP", "Cleaning", "case", 4290, (s) => `Industrial wipes, ${s}`, ["blue, 6 rolls", "white, 6 rolls", "solvent-resistant, 4 tubs"]],
  ["ABS", "Cleaning", "bag", 1990, (s) => `Absorbent ${s}`, ["granules 25 lb", "pads, bag of 100", "socks, bag of 12"]],
  ["CBL", "Electrical", "spool", 8990, (s) => `Cable ${s}, 100 m`, ["3 x 1.5 mm²", "3 x 2.5 mm²", "5 x 2.5 mm²"]],
  ["TIE", "Electrical", "bag", 690, (s) => `Cable ties ${s}, bag of 100`, ["100 mm", "200 mm", "300 mm", "370 mm"]],
  ["FUS", "Electrical", "box", 1290, (s) => `Cartridge fuse ${s}, box of 10`, ["2 A", "5 A", "10 A", "16 A", "20 A"]],
  ["LED", "Lighting", "each", 3990, (s) => `LED ${s}`, ["high-bay 100 W", "high-bay 150 W", "batten 4 ft", "floodlight 50 W"]],
  ["LUB", "Lubricants", "each", 1190, (s) => `${s}`, ["Multi-purpose grease 400 g", "Chain lube spray 400 ml", "Penetrating oil 400 ml", "Food-grade grease 400 g"]],
  ["HOS", "Hydraulics", "each", 2490, (s) => `Hydraulic hose assembly ${s}`, ["1/4 in x 1 m", "3/8 in x 1 m", "1/2 in x 1 m", "3/4 in x 2 m"]],
  ["CAS", "Material handling", "each", 1690, (s) => `Caster ${s}`, ["100 mm swivel", "100 mm swivel with brake", "125 mm fixed", "150 mm swivel"]],
  ["BIN", "Storage", "case", 3290, (s) => `Stacking bin ${s}, case of 12`, ["small", "medium", "large"]],
  ["SHF", "Storage", "each", 18900, (s) => `Steel shelving unit ${s}`, ["36 x 18 x 72", "48 x 24 x 72", "48 x 24 x 84"]],
  ["PPE", "Safety", "box", 990, (s) => `Disposable ${s}, box of 50`, ["dust masks FFP2", "shoe covers", "hair nets", "sleeve covers"]],
  ["MRK", "Marking", "box", 1390, (s) => `${s}, box of 12`, ["Paint markers, white", "Paint markers, yellow", "Permanent markers, black"]],
  ["TAP", "Packaging", "case", 4290, (s) => `Floor marking tape ${s}, case of 12`, ["yellow", "white", "red/white"]],
  ["SKT", "Hand tools", "set", 6990, (s) => `Socket set ${s}`, ["1/4 in drive, 46 pieces", "3/8 in drive, 32 pieces", "1/2 in drive, 24 pieces"]],
  ["WRN", "Hand tools", "set", 4590, (s) => `Combination wrench set, ${s}`, ["metric 8-19 mm", "SAE 5/16-3/4 in", "ratcheting metric 8-19 mm"]],
  ["PLR", "Hand tools", "each", 1690, (s) => `${s} pliers, 8 in`, ["Combination", "Long-nose", "Side-cutting", "Locking"]],
  ["SCR", "Hand tools", "set", 2290, (s) => `Screwdriver set, ${s}`, ["6 pieces", "insulated 7 pieces", "precision 12 pieces"]],
  ["TMS", "Measuring", "each", 1290, (s) => `${s}`, ["Tape measure 5 m", "Tape measure 8 m", "Digital caliper 150 mm", "Spirit level 600 mm", "Laser distance meter 40 m"]],
  ["ADH", "Adhesives", "each", 890, (s) => `${s}`, ["Threadlocker medium 50 ml", "Threadlocker high 50 ml", "Instant adhesive 20 g", "Two-part epoxy 50 ml", "Silicone sealant 300 ml"]],
  ["WLD", "Welding", "box", 3490, (s) => `${s}`, ["MIG wire 0.8 mm, 5 kg", "MIG wire 1.0 mm, 15 kg", "Welding rods E6013 2.5 mm, 5 kg", "Welding rods E7018 3.2 mm, 5 kg"]],
  ["PMP", "Pumps", "each", 24900, (s) => `Submersible pump ${s}`, ["0.5 hp", "1 hp", "1.5 hp"]],
  ["VLV", "Plumbing", "each", 1890, (s) => `Ball valve ${s}, brass`, ["1/2 in", "3/4 in", "1 in", "1 1/2 in", "2 in"]],
  ["FIT", "Plumbing", "bag", 1190, (s) => `Pipe fittings ${s}, bag of 10`, ["1/2 in elbows", "3/4 in elbows", "1/2 in tees", "3/4 in tees"]],
  ["FAN", "Ventilation", "each", 12900, (s) => `Industrial fan ${s}`, ["floor 20 in", "floor 24 in", "wall-mount 24 in"]],
];

/** The demo catalog: the classics, then every family's sizes; a few are inactive (discontinued). */
export function buildNorthwindCatalog(): DemoProduct[] {
  const out = [...classics];
  const taken = new Set(out.map((p) => p.sku));
  for (const [prefix, category, unit, base, name, sizes] of families) {
    sizes.forEach((size, i) => {
      const sku = `${prefix}-${String(i + 1).padStart(3, "0")}`;
      if (taken.has(sku)) return;
      taken.add(sku);
      // Bigger sizes cost more: +18% a step, rounded to end in 9.
      const usd = Math.round((base * 1.18 ** i) / 10) * 10 + 9;
      out.push({ sku, name: name(size), category, unit, usd, active: (out.length + 1) % 41 !== 0 });
    });
  }
  return out;
}

// Fixed list-price factors from USD: a demo, not a quote.
const factors: Record<string, number> = { USD: 1, CAD: 1.37, EUR: 0.92, GBP: 0.79 };

/** List prices in every demo currency, each ending in 9. */
export function demoListPrices(usd: number): Record<string, number> {
  return Object.fromEntries(Object.entries(factors).map(([currency, f]) => [currency, currency === "USD" ? usd : Math.round((usd * f) / 10) * 10 + 9]));
}
