//! Sealing: signatures, keys, and the QR code's text.

mod common;

use balai_letters::{
    PublicKey, Seal, VerifyError, VillageKeys, parse_qr_payload, qr_payload, random_token,
};
use common::{domisili, keys, sealed, statement};

#[test]
fn a_seal_verifies_with_its_village_key() {
    let seal = sealed(&domisili());
    assert_eq!(keys().public_key().verify(&seal), Ok(()));
    assert_eq!(seal.signature.len(), 86);
}

#[test]
fn any_change_to_the_statement_breaks_the_signature() {
    let seal = sealed(&domisili());
    let key = keys().public_key();
    let changes: [fn(&mut Seal); 7] = [
        |s| s.statement.number = "474.4/013/2001/XI/2026".into(),
        |s| s.statement.subject = "J*** W*****".into(),
        |s| s.statement.village = "3310012002".into(),
        |s| s.statement.kind = "usaha".into(),
        |s| s.statement.issued_on = "2026-11-23".into(),
        |s| s.statement.valid_until = None,
        |s| s.statement.token = random_token(),
    ];
    for change in changes {
        let mut tampered = seal.clone();
        change(&mut tampered);
        assert_eq!(
            key.verify(&tampered),
            Err(VerifyError::BadSignature),
            "{tampered:?}"
        );
    }
}

#[test]
fn another_villages_key_does_not_verify() {
    let seal = sealed(&domisili());
    let other = VillageKeys::from_secret_bytes([8; 32]).public_key();
    assert_eq!(other.verify(&seal), Err(VerifyError::BadSignature));
    // Nor does a seal made by the other village verify as ours.
    let forged = VillageKeys::generate().seal(statement(&domisili()));
    assert_eq!(
        keys().public_key().verify(&forged),
        Err(VerifyError::BadSignature)
    );
}

#[test]
fn a_damaged_signature_is_bad_or_malformed() {
    let seal = sealed(&domisili());
    let key = keys().public_key();
    let mut flipped = seal.clone();
    let first = if flipped.signature.starts_with('A') {
        "B"
    } else {
        "A"
    };
    flipped.signature.replace_range(0..1, first);
    assert_eq!(key.verify(&flipped), Err(VerifyError::BadSignature));
    let mut short = seal.clone();
    short.signature.truncate(40);
    assert!(matches!(key.verify(&short), Err(VerifyError::Malformed(_))));
    let mut garbage = seal;
    garbage.signature = "not base64!".into();
    assert!(matches!(
        key.verify(&garbage),
        Err(VerifyError::Malformed(_))
    ));
}

#[test]
fn keys_survive_storage() {
    let keys = VillageKeys::generate();
    let again = VillageKeys::from_secret_bytes(keys.secret_bytes());
    assert_eq!(again.public_key(), keys.public_key());
    assert_ne!(VillageKeys::generate().public_key(), keys.public_key());
    // Signing is deterministic: the same statement gives the same seal.
    assert_eq!(
        again.seal(statement(&domisili())),
        keys.seal(statement(&domisili()))
    );
    // Debug never shows the secret.
    let debug = format!("{keys:?}");
    assert!(debug.contains(&keys.public_key().to_base64()));
    assert!(!debug.contains(&format!("{:?}", keys.secret_bytes())));
}

#[test]
fn public_keys_round_trip_through_base64() {
    let key = keys().public_key();
    let text = key.to_base64();
    assert_eq!(text.len(), 43);
    assert_eq!(PublicKey::from_base64(&text), Ok(key));
    for bad in ["", "abc", &"A".repeat(44), "!!!!", &text[..42]] {
        assert!(
            matches!(PublicKey::from_base64(bad), Err(VerifyError::Malformed(_))),
            "{bad:?}"
        );
    }
}

#[test]
fn qr_payload_round_trips_and_stays_small() {
    let doc = domisili();
    let seal = sealed(&doc);
    let payload = qr_payload(&doc.verify_url, &seal);
    assert!(payload.starts_with("https://sengon.desa.id/verifikasi/q9Xr2LmPz7TkWc4Vb8NdEa#v1."));
    assert!(payload.len() < 400, "{} bytes: {payload}", payload.len());
    let (url, parsed) = parse_qr_payload(&payload).unwrap();
    assert_eq!(url, doc.verify_url);
    assert_eq!(parsed, seal);
    assert_eq!(keys().public_key().verify(&parsed), Ok(()));
}

#[test]
fn qr_payload_of_a_long_letter_still_fits_a_legible_code() {
    // The longest values the services produce: a 40-character number, a
    // 12-word name and a long public URL.
    let mut s = statement(&domisili());
    s.number = "474.4/0123/3310012001/XII/2026/PEM/SENGON".into();
    s.subject =
        "M****** A**** R****** H****** S****** W*** P****** K***** B*** S****** T* N*".into();
    s.kind = "penghasilan_orang_tua".into();
    let seal = keys().seal(s);
    let url = "https://layanan.sengon.klatenkab.go.id/verifikasi/q9Xr2LmPz7TkWc4Vb8NdEa";
    let payload = qr_payload(url, &seal);
    assert!(payload.len() < 550, "{} bytes", payload.len());
    assert_eq!(parse_qr_payload(&payload).unwrap(), (url.to_owned(), seal));
}

#[test]
fn qr_payload_with_a_changed_statement_no_longer_verifies() {
    let doc = domisili();
    let payload = qr_payload(&doc.verify_url, &sealed(&doc));
    let (_, mut seal) = parse_qr_payload(&payload).unwrap();
    seal.statement.subject = "X*** Y******".into();
    let forged = qr_payload(&doc.verify_url, &seal);
    let (_, seal) = parse_qr_payload(&forged).unwrap();
    assert_eq!(
        keys().public_key().verify(&seal),
        Err(VerifyError::BadSignature)
    );
}

#[test]
fn unreadable_qr_text_is_malformed() {
    for bad in [
        "https://sengon.desa.id/verifikasi/x",
        "https://x#",
        "https://x#v1.AAAA",
        "#v1.!!!.sig",
    ] {
        assert!(
            matches!(parse_qr_payload(bad), Err(VerifyError::Malformed(_))),
            "{bad:?}"
        );
    }
    assert_eq!(
        parse_qr_payload("https://x#v9.e30.AAAA").map(|_| ()),
        Err(VerifyError::UnknownVersion("v9".into()))
    );
}

#[test]
fn errors_read_as_sentences() {
    for (err, start) in [
        (
            VerifyError::NoSeal,
            "this file carries no Balai letter seal",
        ),
        (VerifyError::BadSignature, "the signature does not match"),
        (
            VerifyError::Malformed("x".into()),
            "the seal could not be read: x",
        ),
        (
            VerifyError::TextMismatch("y".into()),
            "the letter's text does not match its seal: y",
        ),
    ] {
        assert!(err.to_string().starts_with(start), "{err}");
    }
}

#[test]
fn a_v1_seal_does_not_pass_as_a_v2_summary_nor_back() {
    use balai_letters::SealVersion;
    let v1 = sealed(&domisili());
    let mut as_v2 = v1.clone();
    as_v2.version = SealVersion::V2Summary;
    assert_eq!(
        keys().public_key().verify(&as_v2),
        Err(VerifyError::BadSignature)
    );
    let v2 = keys().seal_summary(statement(&domisili()));
    assert_eq!(keys().public_key().verify(&v2), Ok(()));
    assert!(v2.to_compact().starts_with("v2."));
    let mut as_v1 = v2.clone();
    as_v1.version = SealVersion::V1;
    assert_eq!(
        keys().public_key().verify(&as_v1),
        Err(VerifyError::BadSignature)
    );
}
