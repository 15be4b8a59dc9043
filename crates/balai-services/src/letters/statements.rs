//! What each letter kind states about its subject, in Indonesian.

use std::collections::HashMap;

use balai_domain::letter_kind::LetterKind;

/// The statement paragraphs of a letter of `kind`, from its extra fields.
pub fn statement(
    kind: LetterKind,
    village: &str,
    extras: &HashMap<&'static str, String>,
) -> Vec<String> {
    let x = |k: &str| extras.get(k).cloned().unwrap_or_default();
    let desa = format!("Desa {village}");
    match kind {
        LetterKind::Umum => vec![format!("Orang tersebut di atas adalah benar penduduk {desa}."), x("keterangan")],
        LetterKind::Pengantar => vec![format!("Orang tersebut di atas adalah benar penduduk {desa} dan surat pengantar ini diberikan untuk keperluan yang disebut di bawah.")],
        LetterKind::Domisili => {
            let since = extras.get("domisili_sejak").map(|d| format!(" sejak {d}")).unwrap_or_default();
            vec![format!("Orang tersebut di atas benar-benar berdomisili di {}{since}.", x("alamat_domisili"))]
        }
        LetterKind::Usaha => vec![format!("Orang tersebut di atas adalah benar penduduk {desa} yang menjalankan usaha sebagai berikut:")],
        LetterKind::TidakMampu => vec![format!("Orang tersebut di atas adalah benar penduduk {desa} dan tergolong keluarga tidak mampu.")],
        LetterKind::Kelahiran => vec![format!("Orang tersebut di atas benar telah lahir dan dicatat sebagai penduduk {desa}.")],
        LetterKind::Kematian => vec![format!("Orang tersebut di atas, penduduk {desa}, telah meninggal dunia dengan keterangan sebagai berikut:")],
        LetterKind::Pindah => vec![format!("Orang tersebut di atas adalah benar penduduk {desa} yang akan pindah dengan keterangan sebagai berikut:")],
        LetterKind::BelumMenikah => vec![format!("Orang tersebut di atas adalah benar penduduk {desa} dan sampai saat ini belum pernah menikah.")],
        LetterKind::PenghasilanOrangTua => vec![format!("Orang tersebut di atas adalah benar penduduk {desa} dan orang tua dari {} dengan penghasilan sebagaimana tersebut di bawah.", x("nama_anak"))],
        LetterKind::Kehilangan => vec![format!("Orang tersebut di atas melaporkan telah kehilangan {} di {} pada tanggal {}.", x("barang"), x("tempat_kejadian"), x("tanggal_kejadian"))],
        LetterKind::PengantarSkck => vec![format!("Orang tersebut di atas adalah benar penduduk {desa}, berkelakuan baik, dan tidak sedang tersangkut perkara pidana sepanjang pengetahuan kami. Surat pengantar ini diberikan untuk mengurus Surat Keterangan Catatan Kepolisian (SKCK).")],
        LetterKind::PengantarKtp => vec![format!("Orang tersebut di atas adalah benar penduduk {desa} dan bermaksud mengurus Kartu Tanda Penduduk elektronik ({}).", x("jenis_permohonan"))],
        LetterKind::PengantarKk => vec![format!("Orang tersebut di atas adalah benar penduduk {desa} dan bermaksud mengurus Kartu Keluarga ({}).", x("jenis_permohonan"))],
        LetterKind::IzinKeramaian => vec![format!("Orang tersebut di atas adalah benar penduduk {desa} dan bermaksud menyelenggarakan keramaian sebagai berikut:")],
    }
    .into_iter()
    .filter(|p| !p.trim().is_empty())
    .collect()
}

/// An Indonesian long date: `22 November 2026`.
pub fn long_date(d: time::Date) -> String {
    const MONTHS: [&str; 12] = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ];
    format!(
        "{} {} {}",
        d.day(),
        MONTHS[usize::from(u8::from(d.month())) - 1],
        d.year()
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_written_in_indonesian() {
        assert_eq!(
            super::long_date(time::macros::date!(2026 - 11 - 22)),
            "22 November 2026"
        );
    }
}
