//! Secondary facts: e-KTP progress, health insurance, birth certificates.

use balai_domain::ResidentDetails;
use balai_domain::codes::{Asuransi, KtpEl, StatusRekam};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::weighted::pick;

/// Plausible details for a person of `age` born in `birth_year`.
pub(crate) fn details(rng: &mut ChaCha8Rng, age: i32, birth_year: i32) -> ResidentDetails {
    // e-KTP is compulsory from 17; most adults have recorded and received it.
    let (ktp_el, ktp_recording) = if age < 17 {
        (KtpEl::Belum, StatusRekam::BelumWajib)
    } else {
        let rec = pick(
            rng,
            &[
                (StatusRekam::CardIssued, 88),
                (StatusRekam::SudahRekam, 6),
                (StatusRekam::BelumRekam, 4),
                (StatusRekam::CardPrinted, 2),
            ],
        );
        (
            if rec == StatusRekam::CardIssued {
                KtpEl::KtpEl
            } else {
                KtpEl::Belum
            },
            rec,
        )
    };
    let insurance = pick(
        rng,
        &[
            (Asuransi::BpjsPenerimaBantuanIuran, 42),
            (Asuransi::BpjsNonPenerimaBantuanIuran, 30),
            (Asuransi::BpjsBantuanDaerah, 8),
            (Asuransi::TidakBelumPunya, 18),
            (Asuransi::AsuransiLainnya, 2),
        ],
    );
    let insurance_number = if insurance == Asuransi::TidakBelumPunya {
        String::new()
    } else {
        format!(
            "{:013}",
            rng.random_range(1_000_000_000_000u64..10_000_000_000_000)
        )
    };
    // Birth certificates became near-universal for children born after 2005.
    let has_certificate = rng.random_bool(if birth_year >= 2005 { 0.95 } else { 0.45 });
    let birth_certificate = if has_certificate {
        format!(
            "AL.{:04}.{:07}",
            birth_year,
            rng.random_range(1u32..10_000_000)
        )
    } else {
        String::new()
    };
    ResidentDetails {
        ktp_el: Some(ktp_el),
        ktp_recording: Some(ktp_recording),
        insurance: Some(insurance),
        insurance_number,
        birth_certificate,
        ..ResidentDetails::default()
    }
}
