import QRCode from 'qrcode';

/**
 * The `qr_url` image of an express `qr` charge (docs/spec/merchant-charges.md): an SVG QR code of the charge's
 * link, drawn by the `qrcode` package (docs/decisions/0015-qrcode.md). Medium error correction: a phone reads
 * it off a printed receipt or a screen.
 */
export function chargeQrSvg(link: string): Promise<string> {
  return QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
