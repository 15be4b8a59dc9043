//! The regency's own certificate authority and each village's
//! document-signing key and certificate (ECDSA P-256 with SHA-256), and the
//! CMS SignedData that a PAdES signature carries.

use std::fmt;
use std::str::FromStr as _;
use std::time::{Duration, SystemTime};

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{OctetString, SetOfVec};
use der::oid::ObjectIdentifier;
use der::{Any, Decode as _, Encode as _, Sequence};
use p256::ecdsa::signature::{Signer as _, Verifier as _};
use p256::ecdsa::{DerSignature, Signature, SigningKey, VerifyingKey};
use sha2::{Digest as _, Sha256};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder as _, CertificateBuilder};
use x509_cert::certificate::TbsCertificate;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, KeyUsage, KeyUsages, SubjectKeyIdentifier,
};
use x509_cert::ext::{Extension, ToExtension as _};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

/// Why a key, certificate or CMS signature could not be made or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PkiError(pub String);

fn pki<E: fmt::Display>(context: &str) -> impl Fn(E) -> PkiError + '_ {
    move |e| PkiError(format!("{context}: {e}"))
}

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const ID_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");

/// Years a regency root certificate is valid.
const ROOT_YEARS: u64 = 30;
/// Years a village's document-signing certificate is valid.
const VILLAGE_YEARS: u64 = 10;
const YEAR: u64 = 365 * 24 * 3600 + 6 * 3600;

/// A P-256 secret key from its 32 stored bytes.
fn key_from(secret: &[u8]) -> Result<SigningKey, PkiError> {
    SigningKey::from_slice(secret).map_err(|_| PkiError("not a P-256 secret key".into()))
}

fn new_key() -> SigningKey {
    loop {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).expect("the operating system's random source failed");
        if let Ok(key) = SigningKey::from_slice(&secret) {
            return key;
        }
    }
}

fn random_serial() -> Result<SerialNumber, PkiError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    // Positive and without a leading zero byte, as RFC 5280 asks.
    bytes[0] = (bytes[0] & 0x7f) | 0x40;
    SerialNumber::new(&bytes).map_err(pki("serial number"))
}

fn validity(now_unix: u64, years: u64) -> Result<Validity, PkiError> {
    let at = |secs: u64| {
        Time::try_from(SystemTime::UNIX_EPOCH + Duration::from_secs(secs)).map_err(pki("time"))
    };
    Ok(Validity::new(at(now_unix)?, at(now_unix + years * YEAR)?))
}

/// Keeps only letters, digits, spaces, dots and dashes: the name goes into
/// an RFC 4514 string.
fn plain(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-'))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Who a certificate is for and what it may do.
struct Profile {
    issuer: Option<Name>,
    subject: Name,
    ca: bool,
}

impl BuilderProfile for Profile {
    fn get_issuer(&self, subject: &Name) -> Name {
        self.issuer.clone().unwrap_or_else(|| subject.clone())
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        issuer_spk: SubjectPublicKeyInfoRef<'_>,
        tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let mut ext = Vec::new();
        let ski = SubjectKeyIdentifier::try_from(spk)?;
        let aki = SubjectKeyIdentifier::try_from(issuer_spk)?;
        ext.push(
            AuthorityKeyIdentifier {
                key_identifier: Some(aki.0),
                ..Default::default()
            }
            .to_extension(tbs.subject(), &ext)?,
        );
        ext.push(ski.to_extension(tbs.subject(), &ext)?);
        ext.push(
            BasicConstraints {
                ca: self.ca,
                path_len_constraint: self.ca.then_some(0),
            }
            .to_extension(tbs.subject(), &ext)?,
        );
        let usage = if self.ca {
            KeyUsages::KeyCertSign | KeyUsages::CRLSign
        } else {
            KeyUsages::DigitalSignature | KeyUsages::NonRepudiation
        };
        ext.push(KeyUsage(usage).to_extension(tbs.subject(), &ext)?);
        Ok(ext)
    }
}

fn build(
    profile: Profile,
    subject_key: &VerifyingKey,
    issuer_key: &SigningKey,
    validity: Validity,
) -> Result<Vec<u8>, PkiError> {
    let spki = SubjectPublicKeyInfoOwned::from_key(subject_key).map_err(pki("public key"))?;
    let builder = CertificateBuilder::new(profile, random_serial()?, validity, spki)
        .map_err(pki("certificate"))?;
    let cert = builder
        .build::<_, DerSignature>(issuer_key)
        .map_err(pki("certificate"))?;
    cert.to_der().map_err(pki("certificate"))
}

/// A regency's root certificate authority: issues its villages'
/// document-signing certificates. Its `Debug` shows only the certificate's size.
#[derive(Clone)]
pub struct RegencyCa {
    key: SigningKey,
    certificate: Vec<u8>,
}

impl RegencyCa {
    /// A new root for regency `code` (four digits) named `name`, valid from
    /// `now_unix` (seconds) for 30 years.
    pub fn create(code: &str, name: &str, now_unix: u64) -> Result<Self, PkiError> {
        let key = new_key();
        let subject = Name::from_str(&format!(
            "CN=Balai Root CA {},OU={},O=Balai,C=ID",
            plain(name),
            plain(code)
        ))
        .map_err(pki("name"))?;
        let certificate = build(
            Profile {
                issuer: None,
                subject,
                ca: true,
            },
            key.verifying_key(),
            &key,
            validity(now_unix, ROOT_YEARS)?,
        )?;
        Ok(Self { key, certificate })
    }

    /// The root stored earlier: its secret bytes and DER certificate.
    pub fn from_parts(secret: &[u8], certificate: Vec<u8>) -> Result<Self, PkiError> {
        let key = key_from(secret)?;
        let cert = Certificate::from_der(&certificate).map_err(pki("root certificate"))?;
        if public_key(&cert)? != *key.verifying_key() {
            return Err(PkiError("the root certificate is not for this key".into()));
        }
        Ok(Self { key, certificate })
    }

    /// The 32 secret bytes, for storage. Keep them secret.
    pub fn secret_bytes(&self) -> Vec<u8> {
        self.key.to_bytes().to_vec()
    }

    /// The root certificate, DER.
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate
    }

    /// A new document-signing key and certificate for village `code` named
    /// `name`, valid from `now_unix` for 10 years.
    pub fn issue_village(
        &self,
        code: &str,
        name: &str,
        now_unix: u64,
    ) -> Result<DocumentSigner, PkiError> {
        let key = new_key();
        let root = Certificate::from_der(&self.certificate).map_err(pki("root certificate"))?;
        let subject = Name::from_str(&format!(
            "CN=Desa {} - tanda tangan dokumen,OU={},O=Balai,C=ID",
            plain(name),
            plain(code)
        ))
        .map_err(pki("name"))?;
        let certificate = build(
            Profile {
                issuer: Some(root.tbs_certificate().subject().clone()),
                subject,
                ca: false,
            },
            key.verifying_key(),
            &self.key,
            validity(now_unix, VILLAGE_YEARS)?,
        )?;
        Ok(DocumentSigner {
            key,
            certificate,
            root: self.certificate.clone(),
        })
    }
}

impl fmt::Debug for RegencyCa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegencyCa(certificate {} bytes)", self.certificate.len())
    }
}

/// A village's document-signing key, its certificate and the regency root
/// that issued it: what signs a letter's PDF. Its `Debug` hides the key.
#[derive(Clone)]
pub struct DocumentSigner {
    key: SigningKey,
    certificate: Vec<u8>,
    root: Vec<u8>,
}

impl DocumentSigner {
    /// The signer stored earlier. Checks that the certificate is for this
    /// key and was issued by `root`.
    pub fn from_parts(
        secret: &[u8],
        certificate: Vec<u8>,
        root: Vec<u8>,
    ) -> Result<Self, PkiError> {
        let key = key_from(secret)?;
        let cert = Certificate::from_der(&certificate).map_err(pki("certificate"))?;
        let root_cert = Certificate::from_der(&root).map_err(pki("root certificate"))?;
        if public_key(&cert)? != *key.verifying_key() {
            return Err(PkiError("the certificate is not for this key".into()));
        }
        issued_by(&cert, &root_cert).map_err(|e| PkiError(e.to_string()))?;
        Ok(Self {
            key,
            certificate,
            root,
        })
    }

    /// The 32 secret bytes, for storage. Keep them secret.
    pub fn secret_bytes(&self) -> Vec<u8> {
        self.key.to_bytes().to_vec()
    }

    /// The village's certificate, DER.
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate
    }

    /// The regency root's certificate, DER.
    pub fn root_der(&self) -> &[u8] {
        &self.root
    }

    /// A detached CMS SignedData (DER) over content whose SHA-256 is
    /// `digest`, with the PAdES baseline B-B signed attributes
    /// (content-type, message-digest, signing-certificate-v2) and both
    /// certificates.
    pub(crate) fn sign_detached(&self, digest: &[u8; 32]) -> Result<Vec<u8>, PkiError> {
        let cert = Certificate::from_der(&self.certificate).map_err(pki("certificate"))?;
        let root = Certificate::from_der(&self.root).map_err(pki("root certificate"))?;
        let attrs = signed_attributes(digest, &sha256(&self.certificate))?;
        let to_sign = attrs.to_der().map_err(pki("signed attributes"))?;
        let signature: Signature = self.key.sign(&to_sign);
        let signer_info = SignerInfo {
            version: CmsVersion::V1,
            sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: cert.tbs_certificate().issuer().clone(),
                serial_number: cert.tbs_certificate().serial_number().clone(),
            }),
            digest_alg: sha256_alg(),
            signed_attrs: Some(attrs),
            signature_algorithm: AlgorithmIdentifierOwned {
                oid: ECDSA_WITH_SHA256,
                parameters: None,
            },
            signature: OctetString::new(signature.to_der().as_bytes()).map_err(pki("signature"))?,
            unsigned_attrs: None,
        };
        let signed = SignedData {
            version: CmsVersion::V1,
            digest_algorithms: SetOfVec::try_from(vec![sha256_alg()]).map_err(pki("cms"))?,
            encap_content_info: EncapsulatedContentInfo {
                econtent_type: ID_DATA,
                econtent: None,
            },
            certificates: Some(
                CertificateSet::try_from(vec![
                    CertificateChoices::Certificate(cert),
                    CertificateChoices::Certificate(root),
                ])
                .map_err(pki("cms"))?,
            ),
            crls: None,
            signer_infos: SignerInfos::try_from(vec![signer_info]).map_err(pki("cms"))?,
        };
        ContentInfo {
            content_type: ID_SIGNED_DATA,
            content: Any::encode_from(&signed).map_err(pki("cms"))?,
        }
        .to_der()
        .map_err(pki("cms"))
    }
}

impl fmt::Debug for DocumentSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "DocumentSigner(certificate {} bytes)",
            self.certificate.len()
        )
    }
}

/// `SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }`.
#[derive(Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

/// `ESSCertIDv2 ::= SEQUENCE { certHash OCTET STRING }` (SHA-256, the default
/// hash algorithm, is left out as DER asks).
#[derive(Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute, PkiError> {
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![value]).map_err(pki("attribute"))?,
    })
}

fn signed_attributes(
    digest: &[u8; 32],
    cert_hash: &[u8; 32],
) -> Result<SetOfVec<Attribute>, PkiError> {
    let e = pki("signed attributes");
    let attrs = vec![
        attribute(ID_CONTENT_TYPE, Any::encode_from(&ID_DATA).map_err(&e)?)?,
        attribute(
            ID_MESSAGE_DIGEST,
            Any::encode_from(&OctetString::new(digest.as_slice()).map_err(&e)?).map_err(&e)?,
        )?,
        attribute(
            ID_SIGNING_CERTIFICATE_V2,
            Any::encode_from(&SigningCertificateV2 {
                certs: vec![EssCertIdV2 {
                    cert_hash: OctetString::new(cert_hash.as_slice()).map_err(&e)?,
                }],
            })
            .map_err(&e)?,
        )?,
    ];
    SetOfVec::try_from(attrs).map_err(&e)
}

fn sha256_alg() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: ID_SHA256,
        parameters: None,
    }
}

pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn public_key(cert: &Certificate) -> Result<VerifyingKey, PkiError> {
    let spki = cert.tbs_certificate().subject_public_key_info();
    VerifyingKey::from_sec1_bytes(spki.subject_public_key.raw_bytes())
        .map_err(|_| PkiError("the certificate's key is not a P-256 key".into()))
}

/// Checks that `issuer` signed `cert` (ECDSA P-256 with SHA-256) and that the names chain.
fn issued_by(cert: &Certificate, issuer: &Certificate) -> Result<(), PkiError> {
    if cert.tbs_certificate().issuer() != issuer.tbs_certificate().subject() {
        return Err(PkiError("the certificate names another issuer".into()));
    }
    if cert.signature_algorithm().oid != ECDSA_WITH_SHA256 {
        return Err(PkiError(
            "the certificate is not signed with ECDSA P-256 and SHA-256".into(),
        ));
    }
    let tbs = cert
        .tbs_certificate()
        .to_der()
        .map_err(pki("certificate"))?;
    let sig = Signature::from_der(cert.signature().raw_bytes())
        .map_err(|_| PkiError("the certificate's signature is not readable".into()))?;
    public_key(issuer)?
        .verify(&tbs, &sig)
        .map_err(|_| PkiError("the certificate's signature does not verify".into()))
}

/// What a valid detached CMS signature tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CmsSigned {
    /// SHA-256 of the signer's certificate (DER).
    pub signer_sha256: [u8; 32],
    /// SHA-256 of the root certificate (DER) the signer's chains to.
    pub root_sha256: [u8; 32],
    /// The signer certificate's subject organisational unit: the village code.
    pub signer_unit: String,
}

/// Checks a detached CMS SignedData (DER, possibly followed by zero padding)
/// over content whose SHA-256 is `digest`: one signer, SHA-256 and ECDSA
/// P-256, the PAdES signed attributes, the signature, and a signer
/// certificate issued by a self-signed root carried alongside.
pub(crate) fn verify_detached(cms_der: &[u8], digest: &[u8; 32]) -> Result<CmsSigned, PkiError> {
    let (info, rest) =
        ContentInfo::from_der_partial(cms_der).map_err(pki("the CMS signature is not readable"))?;
    if rest.iter().any(|b| *b != 0) {
        return Err(PkiError(
            "the CMS signature is followed by other data".into(),
        ));
    }
    if info.content_type != ID_SIGNED_DATA {
        return Err(PkiError("the CMS object is not SignedData".into()));
    }
    let signed: SignedData = info
        .content
        .decode_as()
        .map_err(pki("the CMS SignedData is not readable"))?;
    if signed.encap_content_info.econtent_type != ID_DATA
        || signed.encap_content_info.econtent.is_some()
    {
        return Err(PkiError("the signature is not detached over data".into()));
    }
    let [signer] = signed.signer_infos.0.as_slice() else {
        return Err(PkiError(
            "the signature must have exactly one signer".into(),
        ));
    };
    if signer.digest_alg.oid != ID_SHA256 || signer.signature_algorithm.oid != ECDSA_WITH_SHA256 {
        return Err(PkiError(
            "the signature is not ECDSA P-256 with SHA-256".into(),
        ));
    }
    let certs: Vec<&Certificate> = signed
        .certificates
        .as_ref()
        .map(|s| {
            s.0.iter()
                .filter_map(|c| match c {
                    CertificateChoices::Certificate(c) => Some(c),
                    CertificateChoices::Other(_) => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let SignerIdentifier::IssuerAndSerialNumber(sid) = &signer.sid else {
        return Err(PkiError(
            "the signer is not named by issuer and serial number".into(),
        ));
    };
    let cert = certs
        .iter()
        .find(|c| {
            c.tbs_certificate().issuer() == &sid.issuer
                && c.tbs_certificate().serial_number() == &sid.serial_number
        })
        .ok_or_else(|| PkiError("the signer's certificate is not in the signature".into()))?;
    let cert_der = cert.to_der().map_err(pki("certificate"))?;
    let attrs = signer
        .signed_attrs
        .as_ref()
        .ok_or_else(|| PkiError("the signature has no signed attributes".into()))?;
    let one = |oid: ObjectIdentifier, what: &str| -> Result<&Any, PkiError> {
        let mut found = attrs.iter().filter(|a| a.oid == oid);
        match (found.next(), found.next()) {
            (Some(a), None) if a.values.len() == 1 => Ok(a.values.get(0).expect("one value")),
            _ => Err(PkiError(format!(
                "the signature needs exactly one {what} attribute"
            ))),
        }
    };
    let content_type: ObjectIdentifier = one(ID_CONTENT_TYPE, "content-type")?
        .decode_as()
        .map_err(pki("content-type"))?;
    if content_type != ID_DATA {
        return Err(PkiError("the signed content type is not data".into()));
    }
    let md: OctetString = one(ID_MESSAGE_DIGEST, "message-digest")?
        .decode_as()
        .map_err(pki("message-digest"))?;
    if md.as_bytes() != digest {
        return Err(PkiError(
            "the signed digest is not the digest of the signed bytes".into(),
        ));
    }
    let scv2: SigningCertificateV2 = one(ID_SIGNING_CERTIFICATE_V2, "signing-certificate-v2")?
        .decode_as()
        .map_err(pki("signing-certificate-v2"))?;
    if scv2.certs.first().map(|c| c.cert_hash.as_bytes()) != Some(sha256(&cert_der).as_slice()) {
        return Err(PkiError(
            "signing-certificate-v2 does not name the signer's certificate".into(),
        ));
    }
    let to_verify = attrs.to_der().map_err(pki("signed attributes"))?;
    let sig = Signature::from_der(signer.signature.as_bytes())
        .map_err(|_| PkiError("the signature value is not readable".into()))?;
    public_key(cert)?.verify(&to_verify, &sig).map_err(|_| {
        PkiError("the CMS signature does not verify over the signed attributes".into())
    })?;
    let root = certs
        .iter()
        .find(|c| c.tbs_certificate().subject() == cert.tbs_certificate().issuer())
        .ok_or_else(|| {
            PkiError("the certificate that issued the signer's is not in the signature".into())
        })?;
    issued_by(cert, root)?;
    issued_by(root, root)?;
    let unit = cert
        .tbs_certificate()
        .subject()
        .to_string()
        .split(',')
        .find_map(|rdn| rdn.strip_prefix("OU=").map(str::to_owned))
        .unwrap_or_default();
    Ok(CmsSigned {
        signer_sha256: sha256(&cert_der),
        root_sha256: sha256(&root.to_der().map_err(pki("root certificate"))?),
        signer_unit: unit,
    })
}
