//! The QR code's text (verification URL + compact seal) and its SVG picture.

use std::fmt::Write as _;

use qrcode::{Color, EcLevel, QrCode};

use crate::render::RenderError;
use crate::seal::Seal;
use crate::verify::VerifyError;

/// The QR code's text: `{verify_url}#` followed by the seal's compact form
/// (see [`Seal::to_compact`]).
///
/// A phone opens the URL; the fragment never leaves the phone, yet carries
/// everything an offline checker needs. About 280 bytes for a usual letter.
pub fn qr_payload(verify_url: &str, seal: &Seal) -> String {
    format!("{verify_url}#{}", seal.to_compact())
}

/// The inverse of [`qr_payload`]: the URL and the seal (signature not checked).
pub fn parse_qr_payload(s: &str) -> Result<(String, Seal), VerifyError> {
    let (url, compact) = s
        .trim()
        .rsplit_once('#')
        .ok_or_else(|| VerifyError::Malformed("the QR text has no '#' before the seal".into()))?;
    Ok((url.to_owned(), Seal::from_compact(compact)?))
}

/// Modules of light margin around the code, as the QR standard asks.
const QUIET_ZONE: usize = 4;

/// The QR code of `payload` as SVG, one unit per module, with the standard
/// quiet zone.
pub(crate) fn qr_svg(payload: &str) -> Result<String, RenderError> {
    // Level M survives a crease or a stamp over a corner and still fits a
    // ~300-byte payload in a version that prints legibly at 3 cm.
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .map_err(|e| RenderError::Qr(e.to_string()))?;
    let width = code.width();
    let colors = code.to_colors();
    let size = width + 2 * QUIET_ZONE;
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d=""##
    );
    // One rectangle per horizontal run of dark modules rather than one per
    // module (as the qrcode crate's renderer draws): a third of the PDF's
    // drawing operators, and a smaller file.
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                let run = x - start;
                let _ = write!(
                    svg,
                    "M{} {}h{run}v1h-{run}z",
                    start + QUIET_ZONE,
                    y + QUIET_ZONE
                );
            } else {
                x += 1;
            }
        }
    }
    svg.push_str(r#""/></svg>"#);
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paints the SVG's rectangles (`M x y h w v1 h-w z`) into a greyscale
    /// picture, `scale` pixels per module.
    fn rasterize(svg: &str, scale: usize) -> (usize, Vec<u8>) {
        let size: usize = svg
            .split("viewBox=\"0 0 ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        let px = size * scale;
        let mut image = vec![255u8; px * px];
        let d = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        for rect in d.split('M').filter(|r| !r.is_empty()) {
            let (xy, rest) = rect.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            let w: usize = rest.split('v').next().unwrap().parse().unwrap();
            for py in y * scale..(y + 1) * scale {
                for pxl in x * scale..(x + w) * scale {
                    image[py * px + pxl] = 0;
                }
            }
        }
        (px, image)
    }

    #[test]
    fn svg_decodes_back_to_the_payload() {
        let payload = format!(
            "https://sengon.desa.id/verifikasi/q9Xr2LmPz7TkWc4Vb8NdEa#v1.{}.{}",
            "W".repeat(170),
            "A".repeat(86)
        );
        let svg = qr_svg(&payload).unwrap();
        let (px, image) = rasterize(&svg, 4);
        let mut prepared =
            rqrr::PreparedImage::prepare_from_greyscale(px, px, |x, y| image[y * px + x]);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, text) = grids[0].decode().unwrap();
        assert_eq!(text, payload);
    }

    #[test]
    fn payload_too_long_for_any_qr_code_is_an_error() {
        assert!(matches!(qr_svg(&"x".repeat(4000)), Err(RenderError::Qr(_))));
    }
}
