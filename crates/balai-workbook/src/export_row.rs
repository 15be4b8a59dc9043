//! One resident with their family, as the 43 workbook columns.

use std::borrow::Cow;

use balai_domain::family::Family;
use balai_domain::{CodeList, Resident};

use crate::cells::iso;
use crate::columns::{Column, HEADERS};

/// One resident and the family card they are on, to be written as a row.
#[derive(Debug, Clone, Copy)]
pub struct ExportRow<'a> {
    /// The resident's family (gives No. KK, address, dusun/RW/RT).
    pub family: &'a Family,
    /// The resident.
    pub resident: &'a Resident,
}

/// A cell to write.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'a> {
    /// Nothing recorded.
    Blank,
    /// Text, written as a text cell so no digit or leading zero is lost.
    Text(Cow<'a, str>),
    /// A code-list code, written as a number as OpenSID does.
    Code(u8),
}

fn text(s: &str) -> Value<'_> {
    if s.is_empty() {
        Value::Blank
    } else {
        Value::Text(Cow::Borrowed(s))
    }
}

fn owned<'a>(s: String) -> Value<'a> {
    Value::Text(Cow::Owned(s))
}

fn code<T: CodeList>(v: T) -> Value<'static> {
    Value::Code(v.code())
}

fn optional<T: CodeList>(v: Option<T>) -> Value<'static> {
    v.map_or(Value::Blank, code)
}

impl<'a> ExportRow<'a> {
    /// The row's cells in [`HEADERS`] order.
    pub(crate) fn values(&self) -> [Value<'a>; HEADERS.len()] {
        Column::ALL.map(|c| self.value(c))
    }

    fn value(&self, column: Column) -> Value<'a> {
        let f = self.family;
        let r = self.resident;
        let d = &r.details;
        match column {
            Column::Alamat => text(&f.address),
            Column::Dusun => text(f.wilayah.dusun()),
            Column::Rw => text(f.wilayah.rw()),
            Column::Rt => text(f.wilayah.rt()),
            Column::Nama => text(r.name.as_str()),
            Column::NoKk => text(f.no_kk.as_str()),
            Column::Nik => owned(r.number.to_string()),
            Column::Sex => code(r.sex),
            Column::TempatLahir => text(&r.birth_place),
            Column::TanggalLahir => owned(iso(r.birth_date)),
            Column::AgamaId => code(r.religion),
            Column::PendidikanKkId => code(r.education),
            Column::PendidikanSedangId => optional(d.current_education),
            Column::PekerjaanId => code(r.occupation),
            Column::StatusKawin => code(r.marital_status),
            Column::KkLevel => code(r.relationship),
            Column::WarganegaraId => code(r.citizenship),
            Column::AyahNik => r.father_nik.map_or(Value::Blank, |n| owned(n.to_string())),
            Column::NamaAyah => text(&r.father_name),
            Column::IbuNik => r.mother_nik.map_or(Value::Blank, |n| owned(n.to_string())),
            Column::NamaIbu => text(&r.mother_name),
            Column::GolonganDarahId => code(r.blood_type),
            Column::AktaLahir => text(&d.birth_certificate),
            Column::DokumenPasport => text(&d.passport),
            Column::TanggalAkhirPaspor => d.passport_expiry.map_or(Value::Blank, |x| owned(iso(x))),
            Column::DokumenKitas => text(&d.kitas),
            Column::AktaPerkawinan => text(&d.marriage_certificate),
            Column::TanggalPerkawinan => d.marriage_date.map_or(Value::Blank, |x| owned(iso(x))),
            Column::AktaPerceraian => text(&d.divorce_certificate),
            Column::TanggalPerceraian => d.divorce_date.map_or(Value::Blank, |x| owned(iso(x))),
            Column::CacatId => optional(r.disability),
            Column::CaraKbId => optional(d.contraception),
            Column::Hamil => optional(d.pregnant),
            Column::KtpEl => optional(d.ktp_el),
            Column::StatusRekam => optional(d.ktp_recording),
            Column::AlamatSekarang => text(&d.current_address),
            Column::StatusDasar => code(r.status),
            Column::Suku => text(&d.ethnicity),
            Column::TagIdCard => text(&d.id_card_tag),
            Column::IdAsuransi => optional(d.insurance),
            Column::NoAsuransi => text(&d.insurance_number),
            Column::Lat => text(&d.latitude),
            Column::Lng => text(&d.longitude),
        }
    }
}
