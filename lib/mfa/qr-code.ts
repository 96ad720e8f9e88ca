import QRCode from "qrcode";

/** The QR code for `text` (an otpauth:// URI) as an SVG document. */
export async function renderQrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 1 });
}

/**
 * The same SVG as a data: URL for an <img>. An <img> never runs the SVG's scripts, and the CSP
 * only needs `img-src data:` rather than inline SVG markup in the page.
 */
export async function renderQrDataUrl(text: string): Promise<string> {
  const svg = await renderQrSvg(text);
  return `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
}
