import { IMAGE_TYPES, type ImageType, MAX_IMAGE_BYTES } from "@shop/contracts";
import { AppError } from "@shop/runtime";
import type { Context } from "hono";

export type UploadedImage = { bytes: Uint8Array; contentType: ImageType; width?: number; height?: number };

const ACCEPTED = Object.keys(IMAGE_TYPES).join(", ");

/** The type the first bytes say the body is (JPEG, PNG, WebP), whatever the client claims. */
export function sniffImageType(b: Uint8Array): ImageType | undefined {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length >= 8 && png.every((v, i) => b[i] === v)) return "image/png";
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp";
  return undefined;
}

/**
 * Width and height from the image header, when it is where the format puts it (PNG IHDR,
 * a JPEG start-of-frame, the WebP VP8/VP8L/VP8X chunk); undefined otherwise — they are hints
 * for the storefront's layout, not a validation.
 */
export function imageSize(b: Uint8Array, type: ImageType): { width: number; height: number } | undefined {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (type === "image/png") return b.length >= 24 ? { width: v.getUint32(16), height: v.getUint32(20) } : undefined;
  if (type === "image/webp") {
    if (b.length < 30) return undefined;
    const chunk = String.fromCharCode(...b.subarray(12, 16));
    if (chunk === "VP8X") {
      const u24 = (o: number) => (b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16);
      return { width: u24(24) + 1, height: u24(27) + 1 };
    }
    if (chunk === "VP8 ") return { width: v.getUint16(26, true) & 0x3fff, height: v.getUint16(28, true) & 0x3fff };
    if (chunk === "VP8L") {
      const bits = v.getUint32(21, true);
      return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
    }
    return undefined;
  }
  // JPEG: walk the segments to the first start-of-frame (SOF0..SOF15 but DHT, JPG, DAC).
  let o = 2;
  while (o + 9 < b.length && b[o] === 0xff) {
    const marker = b[o + 1] as number;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: v.getUint16(o + 5), width: v.getUint16(o + 7) };
    o += 2 + v.getUint16(o + 2);
  }
  return undefined;
}

/**
 * Reads an upload's body: at most MAX_IMAGE_BYTES (413, also when streamed without a length),
 * a declared Content-Type we take, and bytes that are that type by their magic numbers (415).
 */
export async function readImageUpload(c: Context): Promise<UploadedImage> {
  const declared = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (!(declared in IMAGE_TYPES))
    throw new AppError(415, "unsupported_media_type", `Send the image as one of ${ACCEPTED} (Content-Type).`);
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.length > MAX_IMAGE_BYTES)
    throw new AppError(413, "payload_too_large", `An image is at most ${MAX_IMAGE_BYTES} bytes (5 MB).`);
  if (bytes.length === 0) throw new AppError(400, "bad_request", "The body is empty: send the image's bytes.");
  const sniffed = sniffImageType(bytes);
  if (sniffed !== declared) {
    const found = sniffed ? `${sniffed} data` : "not a JPEG, PNG or WebP image";
    throw new AppError(
      415,
      "unsupported_media_type",
      `The body's magic bytes do not match ${declared}: it is ${found}. Accepted: ${ACCEPTED}.`,
    );
  }
  return { bytes, contentType: declared as ImageType, ...imageSize(bytes, declared as ImageType) };
}
