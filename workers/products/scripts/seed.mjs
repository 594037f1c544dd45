#!/usr/bin/env node
/**
 * Prints idempotent SQL for the demo catalog (run by the start script with
 * `wrangler d1 execute products --local --file=-`-style plumbing). Fixed ids, so the e2e
 * suite can rely on them; INSERT OR IGNORE, so running it twice changes nothing. The FTS
 * index fills itself through the products triggers.
 *
 *   node workers/products/scripts/seed.mjs > /tmp/products-seed.sql
 */
import { pathToFileURL } from "node:url";
import { seedImages } from "./seed-images.mjs";

/** `<prefix>_` + 26 Crockford base32 characters (lower case), as in contracts/ids.ts. */
const id = (prefix, n) => `${prefix}_01jdseed${String(n).padStart(18, "0")}`;
const q = (s) => `'${String(s).replaceAll("'", "''")}'`;

const BASE_TIME = Date.UTC(2026, 0, 1);

const categories = [
  ["kitchen", "Kitchen"],
  ["home", "Home & Living"],
  ["outdoor", "Outdoor"],
  ["books", "Books"],
  ["electronics", "Electronics"],
  ["apparel", "Apparel"],
];

/** [category slug, name, description, price in cents, stock, attributes] */
const products = [
  [
    "kitchen",
    "Stoneware Mug",
    "A sturdy 350 ml stoneware mug with a reactive blue glaze.",
    1800,
    120,
    { colour: "blue", capacityMl: 350 },
  ],
  [
    "kitchen",
    "Chef's Knife 20 cm",
    "Forged stainless steel chef's knife with a full tang and riveted handle.",
    8900,
    40,
    { steel: "X50CrMoV15" },
  ],
  [
    "kitchen",
    "Cast Iron Skillet",
    "Pre-seasoned 26 cm cast iron skillet for searing, baking and campfires.",
    4500,
    60,
    { diameterCm: 26 },
  ],
  [
    "kitchen",
    "Pour-Over Coffee Dripper",
    "Ceramic cone dripper for a clean, bright cup of filter coffee.",
    2400,
    80,
    { material: "ceramic" },
  ],
  [
    "kitchen",
    "Bamboo Cutting Board",
    "Large end-grain bamboo board that is kind to knife edges.",
    3200,
    10,
    { widthCm: 45 },
  ],
  [
    "kitchen",
    "Enamel Kettle",
    "Stovetop kettle with a whistling spout, 1.7 litres, induction ready.",
    5200,
    35,
    { capacityL: 1.7 },
  ],
  [
    "kitchen",
    "Glass Storage Jars (set of 3)",
    "Airtight borosilicate jars for pasta, rice and coffee beans.",
    2900,
    90,
    { pieces: 3 },
  ],
  [
    "kitchen",
    "Linen Tea Towels",
    "Pair of stonewashed linen tea towels that dry glasses without lint.",
    1900,
    150,
    { pieces: 2 },
  ],
  ["kitchen", "Espresso Tamper", "Stainless steel 58 mm tamper with a walnut handle.", 3500, 25, { diameterMm: 58 }],
  [
    "kitchen",
    "Enamel Camping Mug",
    "Speckled enamel mug, 400 ml, light enough for the trail and tough enough for the campfire.",
    1500,
    50,
    { capacityMl: 400 },
  ],
  [
    "home",
    "Wool Throw Blanket",
    "Soft merino wool throw, 130 x 180 cm, in heather grey.",
    9900,
    30,
    { material: "merino" },
  ],
  [
    "home",
    "Scented Soy Candle",
    "Hand-poured soy candle with cedar and bergamot, 40 hour burn.",
    2200,
    200,
    { burnHours: 40 },
  ],
  ["home", "Linen Cushion Cover", "Washed linen cushion cover, 50 x 50 cm, hidden zip.", 2700, 75, { sizeCm: 50 }],
  ["home", "Ceramic Plant Pot", "Matte white planter with drainage hole and saucer.", 1900, 110, { diameterCm: 15 }],
  ["home", "Wall Clock", "Silent sweep wall clock with an oak frame.", 4900, 45, { diameterCm: 30 }],
  ["home", "Cotton Bath Towel", "Heavy 600 gsm organic cotton bath towel.", 3400, 140, { gsm: 600 }],
  ["home", "Desk Lamp", "Adjustable LED desk lamp with warm and cool light modes.", 6500, 10, { watts: 8 }],
  [
    "home",
    "Woven Storage Basket",
    "Seagrass basket with handles for blankets and toys.",
    3900,
    55,
    { material: "seagrass" },
  ],
  ["home", "Picture Frame A4", "Solid ash picture frame with glass front, fits A4 prints.", 2500, 95, { size: "A4" }],
  ["outdoor", "Trail Running Shoes", "Lightweight trail shoes with a grippy lug sole.", 12900, 40, { drop: "6mm" }],
  [
    "outdoor",
    "Insulated Water Bottle",
    "Vacuum insulated 750 ml bottle keeps drinks cold for 24 hours.",
    3200,
    180,
    { capacityMl: 750 },
  ],
  [
    "outdoor",
    "Two-Person Tent",
    "Freestanding three-season tent that pitches in five minutes.",
    24900,
    15,
    { weightKg: 2.1 },
  ],
  ["outdoor", "Headlamp", "Rechargeable 400 lumen headlamp with red night mode.", 3900, 85, { lumens: 400 }],
  [
    "outdoor",
    "Camping Stove",
    "Compact gas stove that boils a litre of water in four minutes.",
    5900,
    30,
    { fuel: "gas" },
  ],
  [
    "outdoor",
    "Merino Hiking Socks",
    "Cushioned merino socks for long days on the trail.",
    2100,
    160,
    { material: "merino" },
  ],
  ["outdoor", "Daypack 24 L", "Water-resistant daypack with a padded laptop sleeve.", 7900, 50, { litres: 24 }],
  [
    "outdoor",
    "Folding Camp Chair",
    "Aluminium camp chair that packs down to the size of a water bottle.",
    8900,
    20,
    { weightKg: 0.9 },
  ],
  ["outdoor", "Sleeping Bag", "Down sleeping bag rated to minus five degrees Celsius.", 19900, 18, { comfortC: -5 }],
  [
    "books",
    "The Art of Slow Cooking",
    "Recipes for braises, stews and stocks that reward patience.",
    2800,
    70,
    { pages: 320 },
  ],
  [
    "books",
    "Field Guide to Birds",
    "Illustrated guide to more than 400 birds of the region.",
    3400,
    45,
    { pages: 512 },
  ],
  [
    "books",
    "Designing Data Systems",
    "A practical book about databases, queues and consistency at scale.",
    4900,
    60,
    { pages: 600 },
  ],
  ["books", "Mountain Trails", "Thirty classic day hikes with maps and elevation profiles.", 2600, 35, { pages: 240 }],
  [
    "books",
    "Home Coffee Roasting",
    "From green beans to a perfect roast in your own kitchen.",
    2200,
    25,
    { pages: 180 },
  ],
  ["books", "A Short History of Tea", "How one leaf travelled the world and changed it.", 1800, 55, { pages: 220 }],
  [
    "books",
    "Woodworking Basics",
    "Joints, tools and ten projects for the first-time woodworker.",
    3100,
    40,
    { pages: 280 },
  ],
  ["books", "Night Sky Atlas", "Star charts and observing notes for every season.", 3900, 30, { pages: 160 }],
  [
    "electronics",
    "Wireless Earbuds",
    "Noise-cancelling earbuds with eight hours of battery life.",
    12900,
    65,
    { batteryHours: 8 },
  ],
  [
    "electronics",
    "Mechanical Keyboard",
    "Tenkeyless keyboard with hot-swappable tactile switches.",
    11900,
    40,
    { layout: "TKL" },
  ],
  [
    "electronics",
    "USB-C Charger 65 W",
    "Compact gallium nitride charger for laptops and phones.",
    4900,
    130,
    { watts: 65 },
  ],
  [
    "electronics",
    "Portable Speaker",
    "Waterproof Bluetooth speaker with a fabric finish.",
    7900,
    55,
    { waterproof: "IP67" },
  ],
  ["electronics", "E-Reader", "Glare-free 6 inch e-reader with warm front light.", 13900, 30, { screenInches: 6 }],
  ["electronics", "Wireless Mouse", "Quiet wireless mouse with a rechargeable battery.", 3900, 95, { dpi: 4000 }],
  ["electronics", "Smart Plug (2 pack)", "Wi-Fi smart plugs with energy monitoring.", 2900, 120, { pieces: 2 }],
  [
    "electronics",
    "Webcam 1080p",
    "Full HD webcam with privacy shutter and stereo microphones.",
    6900,
    45,
    { resolution: "1080p" },
  ],
  [
    "electronics",
    "Power Bank 10000 mAh",
    "Slim power bank that charges two devices at once.",
    3500,
    100,
    { mAh: 10000 },
  ],
  [
    "apparel",
    "Organic Cotton T-Shirt",
    "Heavyweight organic cotton tee with a relaxed fit.",
    2900,
    200,
    { sizes: "XS-XXL" },
  ],
  [
    "apparel",
    "Merino Beanie",
    "Rib-knit merino beanie that keeps warm without itching.",
    3200,
    90,
    { material: "merino" },
  ],
  [
    "apparel",
    "Rain Jacket",
    "Packable waterproof jacket with taped seams and a hood.",
    14900,
    35,
    { waterproofMm: 20000 },
  ],
  ["apparel", "Canvas Tote Bag", "Heavy canvas tote with an inside pocket.", 1900, 170, { litres: 18 }],
  ["apparel", "Leather Belt", "Full-grain leather belt with a brass buckle.", 5900, 45, { widthCm: 3.5 }],
  [
    "apparel",
    "Denim Jeans",
    "Straight-leg selvedge denim jeans that age beautifully.",
    11900,
    50,
    { fabric: "selvedge" },
  ],
  ["apparel", "Wool Scarf", "Lambswool scarf woven in a classic herringbone.", 4500, 60, { material: "lambswool" }],
  ["apparel", "Running Shorts", "Lightweight running shorts with a zip pocket.", 3900, 80, { inseamCm: 13 }],
];

/**
 * Names the catalog once shipped that a shopper must not meet: a state seeded before keeps its
 * rows (INSERT OR IGNORE), so the seed renames them to what `products` now says.
 */
const RETIRED_NAMES = new Map([[10, '<script>alert("xss")</script> Novelty Mug']]);

export function seedSql() {
  const lines = ["-- Demo catalog for products (idempotent)."];
  categories.forEach(([slug, name], i) => {
    lines.push(
      `INSERT OR IGNORE INTO categories (id, slug, name, created_at) VALUES (${q(id("cat", i + 1))}, ${q(slug)}, ${q(name)}, ${BASE_TIME});`,
    );
  });
  const categoryId = new Map(categories.map(([slug], i) => [slug, id("cat", i + 1)]));
  products.forEach(([slug, name, description, price, stock, attributes], i) => {
    const n = i + 1;
    const productId = id("prd", n);
    const sku = `DEMO-${slug.slice(0, 3).toUpperCase()}-${String(n).padStart(3, "0")}`;
    const at = BASE_TIME + n * 60_000;
    lines.push(
      `INSERT OR IGNORE INTO products (id, sku, name, description, category_id, price_amount, currency, attributes, image_urls, status, version, created_at, updated_at) VALUES (${q(productId)}, ${q(sku)}, ${q(name)}, ${q(description)}, ${q(categoryId.get(slug))}, ${price}, 'USD', ${q(JSON.stringify(attributes))}, '[]', 'active', 1, ${at}, ${at});`,
      `INSERT OR IGNORE INTO inventory (product_id, on_hand, reserved, updated_at) VALUES (${q(productId)}, ${stock}, 0, ${at});`,
    );
    const retired = RETIRED_NAMES.get(n);
    if (retired) {
      lines.push(
        `UPDATE products SET name = ${q(name)}, description = ${q(description)}, attributes = ${q(JSON.stringify(attributes))}, version = version + 1 WHERE id = ${q(productId)} AND name = ${q(retired)};`,
      );
    }
  });
  // Image rows; their bytes go to the local bucket through seed-r2.mjs.
  for (const img of seedImages()) {
    lines.push(
      `INSERT OR IGNORE INTO product_images (id, product_id, position, r2_key, sha256, content_type, bytes, width, height, alt, created_at) VALUES (${q(img.id)}, ${q(img.productId)}, ${img.position}, ${q(img.key)}, ${q(img.sha256)}, 'image/png', ${img.bytes.length}, ${img.width}, ${img.height}, ${q(img.alt)}, ${BASE_TIME});`,
    );
  }
  // Whatever the seed changed, cached catalog pages must not outlive it.
  lines.push("UPDATE catalog_state SET version = version + 1, stamp = lower(hex(randomblob(8))) WHERE id = 1;");
  return `${lines.join("\n")}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(seedSql());
}
