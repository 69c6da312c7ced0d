/** The number a JSON text holds, or `undefined` when it holds anything else. */
export const numberIn = (text: string): number | undefined => {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === "number" && Number.isFinite(value) ? value : undefined
  } catch {
    return undefined
  }
}
