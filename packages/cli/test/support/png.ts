import * as zlib from "node:zlib"

/** A decoded 8-bit PNG: its size and its pixels as RGBA. */
export interface Image {
  readonly width: number
  readonly height: number
  readonly rgba: Uint8Array
}

const paeth = (a: number, b: number, c: number): number => {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

/** Decodes a non-interlaced 8-bit RGB or RGBA PNG, as browsers write screenshots. */
export const decode = (png: Uint8Array): Image => {
  const view = Buffer.from(png.buffer, png.byteOffset, png.byteLength)
  let offset = 8
  let width = 0
  let height = 0
  let channels = 0
  const data: Array<Buffer> = []
  while (offset < view.length) {
    const length = view.readUInt32BE(offset)
    const type = view.toString("latin1", offset + 4, offset + 8)
    const body = view.subarray(offset + 8, offset + 8 + length)
    if (type === "IHDR") {
      width = body.readUInt32BE(0)
      height = body.readUInt32BE(4)
      const [depth, color, , , interlace] = [body[8], body[9], body[10], body[11], body[12]]
      if (depth !== 8 || (color !== 2 && color !== 6) || interlace !== 0) {
        throw new Error(
          `unsupported PNG: depth ${depth}, colour type ${color}, interlace ${interlace}`
        )
      }
      channels = color === 6 ? 4 : 3
    }
    if (type === "IDAT") data.push(body)
    if (type === "IEND") break
    offset += 12 + length
  }
  const raw = zlib.inflateSync(Buffer.concat(data))
  const stride = width * channels
  const rows = new Uint8Array(height * stride)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0
      const left = x >= channels ? (rows[y * stride + x - channels] ?? 0) : 0
      const up = y > 0 ? (rows[(y - 1) * stride + x] ?? 0) : 0
      const corner = y > 0 && x >= channels ? (rows[(y - 1) * stride + x - channels] ?? 0) : 0
      const predicted =
        filter === 1
          ? left
          : filter === 2
            ? up
            : filter === 3
              ? (left + up) >> 1
              : filter === 4
                ? paeth(left, up, corner)
                : 0
      rows[y * stride + x] = (value + predicted) & 0xff
    }
  }
  const rgba = new Uint8Array(width * height * 4)
  for (let i = 0; i < width * height; i++) {
    rgba[i * 4] = rows[i * channels] ?? 0
    rgba[i * 4 + 1] = rows[i * channels + 1] ?? 0
    rgba[i * 4 + 2] = rows[i * channels + 2] ?? 0
    rgba[i * 4 + 3] = channels === 4 ? (rows[i * channels + 3] ?? 0) : 255
  }
  return { width, height, rgba }
}

/** How many pixels are within `tolerance` of a colour given as `#rrggbb`. */
export const countNear = (image: Image, hex: string, tolerance = 24): number => {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16))
  let count = 0
  for (let i = 0; i < image.rgba.length; i += 4) {
    if (
      Math.abs((image.rgba[i] ?? 0) - (r ?? 0)) <= tolerance &&
      Math.abs((image.rgba[i + 1] ?? 0) - (g ?? 0)) <= tolerance &&
      Math.abs((image.rgba[i + 2] ?? 0) - (b ?? 0)) <= tolerance
    )
      count++
  }
  return count
}

/** How many pixels are not (nearly) white. */
export const countInk = (image: Image): number => {
  let count = 0
  for (let i = 0; i < image.rgba.length; i += 4) {
    if (
      (image.rgba[i] ?? 0) < 235 ||
      (image.rgba[i + 1] ?? 0) < 235 ||
      (image.rgba[i + 2] ?? 0) < 235
    )
      count++
  }
  return count
}
