/**
 * The demo catalog's images: small PNGs drawn here (node's zlib, no image library), so the seed
 * ships no binary files. Deterministic: the same bytes, hashes and keys on every run, which
 * keeps the seed idempotent (INSERT OR IGNORE rows, R2 puts of the same objects).
 */
import { createHash } from "node:crypto";
import { crc32, deflateSync } from "node:zlib";

const SIZE = 96;

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** An RGB PNG of `size`² pixels; `pixel(x, y)` gives [r, g, b]. */
export function png(size, pixel) {
  const raw = Buffer.alloc(size * (1 + size * 3));
  for (let y = 0; y < size; y++) {
    const row = y * (1 + size * 3);
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), row + 1 + x * 3);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const mix = (a, b, t) => a.map((v, i) => Math.round(v + (b[i] - v) * t));

/** A soft vertical gradient with a centred disc or square: enough to tell the images apart. */
function drawing(top, bottom, shape, accent) {
  return png(SIZE, (x, y) => {
    const dx = x - SIZE / 2 + 0.5;
    const dy = y - SIZE / 2 + 0.5;
    const inside =
      shape === "disc" ? dx * dx + dy * dy < (SIZE / 3) ** 2 : Math.max(Math.abs(dx), Math.abs(dy)) < SIZE / 4;
    return inside ? accent : mix(top, bottom, y / (SIZE - 1));
  });
}

/** [product number in the seed, alt text, top colour, bottom colour, shape, accent] */
const IMAGES = [
  [1, "Stoneware mug in reactive blue glaze, front", [214, 228, 245], [120, 160, 210], "disc", [40, 80, 160]],
  [1, "Stoneware mug from above, showing the glaze inside", [235, 240, 250], [170, 190, 225], "disc", [70, 110, 190]],
  [1, "Stoneware mug beside a saucer for scale", [245, 240, 230], [200, 185, 160], "square", [40, 80, 160]],
  [2, "Chef's knife with riveted handle on a board", [238, 238, 238], [160, 160, 165], "square", [90, 90, 100]],
  [3, "Cast iron skillet, seasoned black", [250, 235, 215], [190, 140, 100], "disc", [30, 30, 30]],
  [4, "Ceramic pour-over dripper in white", [225, 240, 230], [140, 190, 160], "disc", [250, 250, 250]],
  [6, "Enamel kettle in cream with a black handle", [250, 245, 225], [215, 195, 150], "square", [200, 60, 50]],
];

const seedId = (prefix, n) => `${prefix}_01jdseed${String(n).padStart(18, "0")}`;

/** Every seeded image: its row's fields and its bytes. */
export function seedImages() {
  const positions = new Map();
  return IMAGES.map(([productN, alt, top, bottom, shape, accent], i) => {
    const bytes = drawing(top, bottom, shape, accent);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const productId = seedId("prd", productN);
    const id = seedId("img", i + 1);
    const position = positions.get(productId) ?? 0;
    positions.set(productId, position + 1);
    const key = `${productId}/${id}-${sha256.slice(0, 16)}.png`;
    return { id, productId, position, key, sha256, bytes, alt, width: SIZE, height: SIZE };
  });
}
