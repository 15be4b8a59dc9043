//! One render of village-supplied typst in a process of its own.
//!
//! typst cannot be stopped mid-compile, so a village's template (code the
//! village wrote) is never compiled in the server: the server starts a
//! worker process (`balai render-worker`), sends it one [`Request`] on
//! stdin, and reads one [`Reply`] from stdout. The worker lowers its own
//! resource limits before it reads anything, so a template that loops or
//! allocates without end is stopped by the kernel (CPU time, address
//! space), and the server kills it at its wall-clock deadline.
//!
//! The worker never receives a signing key: a letter arrives already sealed
//! (the statement and its signature are public), and a template check signs
//! its sample with a throwaway key (see [`validate_template`]).

use std::io::{self, Read, Write};
use std::process::ExitCode;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::document::LetterDocument;
use crate::letter_template::{MAX_TEMPLATE_BYTES, Template};
use crate::render::{RenderError, render_pdf_with};
use crate::seal::Seal;
use crate::template_check::validate_template;
use crate::template_error::TemplateError;

/// Resource limits a worker puts on itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// CPU seconds (RLIMIT_CPU): at the soft limit the kernel sends SIGXCPU,
    /// a second later SIGKILL.
    pub cpu_seconds: u64,
    /// Address space in bytes (RLIMIT_AS and RLIMIT_DATA): an allocation
    /// past it fails and the worker aborts.
    pub memory_bytes: u64,
}

impl Limits {
    /// The most any job may ask for; applied before the job is read, so a
    /// request can only lower them.
    pub const CEILING: Limits = Limits {
        cpu_seconds: 30,
        memory_bytes: 2 << 30,
    };

    /// What the server asks for by default: a letter takes a few tens of
    /// milliseconds and ~60 MB, a template check a little more.
    pub const DEFAULT: Limits = Limits {
        cpu_seconds: 5,
        memory_bytes: 1 << 30,
    };

    fn at_most(self, ceiling: Limits) -> Limits {
        Limits {
            cpu_seconds: self.cpu_seconds.min(ceiling.cpu_seconds).max(1),
            memory_bytes: self.memory_bytes.min(ceiling.memory_bytes),
        }
    }
}

/// What a worker is asked to do.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Job {
    /// Typeset `document` with `template` and `seal`, as
    /// [`render_pdf_with`] does.
    Render {
        /// The village's typst template text.
        template: String,
        /// The letter, fully resolved.
        document: LetterDocument,
        /// The seal printed and embedded (already signed by the server).
        seal: Seal,
    },
    /// Try `template` on `sample`, as [`validate_template`] does.
    Validate {
        /// The typst template text.
        template: String,
        /// The sample letter with the village's letterhead, logo and paper.
        sample: LetterDocument,
    },
}

/// One job and the limits to run it under.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    /// Lowered to at most [`Limits::CEILING`].
    pub limits: Limits,
    /// The job.
    pub job: Job,
}

/// What a worker answers, one per process.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Reply {
    /// The letter's PDF, base64 (standard alphabet).
    Rendered(String),
    /// typst could not typeset the letter.
    RenderFailed(RenderError),
    /// The template passed every check.
    Accepted,
    /// The template was refused.
    Refused(TemplateError),
    /// The request could not be read.
    BadRequest(String),
}

impl Reply {
    /// The PDF of a [`Reply::Rendered`], decoded.
    pub fn rendered(pdf: &[u8]) -> Self {
        Reply::Rendered(base64::engine::general_purpose::STANDARD.encode(pdf))
    }

    /// The PDF bytes if this is [`Reply::Rendered`] with valid base64.
    pub fn pdf(&self) -> Option<Vec<u8>> {
        match self {
            Reply::Rendered(b64) => base64::engine::general_purpose::STANDARD.decode(b64).ok(),
            _ => None,
        }
    }
}

/// The largest request read: a template, a 128 KB logo, the letter's text.
const MAX_REQUEST_BYTES: u64 = 4 * MAX_TEMPLATE_BYTES as u64 + 1024 * 1024;

/// The worker's `main`: limits itself, reads one request from stdin,
/// does it, writes the reply to stdout. Exit code 0 when a reply was
/// written (a refused template is a reply too).
pub fn main() -> ExitCode {
    if let Err(e) = limit(Limits::CEILING) {
        eprintln!("balai render-worker: cannot set resource limits: {e}");
        return ExitCode::FAILURE;
    }
    match run(io::stdin().lock(), io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("balai render-worker: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Reads one [`Request`] from `input`, lowers the process's limits to the
/// request's, does the job and writes one [`Reply`] (JSON) to `output`.
///
/// This sets the limits of the *calling process*: only a worker process
/// calls it ([`main`]); tests call [`answer`].
pub fn run(input: impl Read, mut output: impl Write) -> io::Result<()> {
    let mut text = String::new();
    input.take(MAX_REQUEST_BYTES).read_to_string(&mut text)?;
    let reply = match serde_json::from_str::<Request>(&text) {
        Err(e) => Reply::BadRequest(e.to_string()),
        Ok(request) => {
            limit(request.limits.at_most(Limits::CEILING))?;
            drop(text);
            answer(request.job)
        }
    };
    serde_json::to_writer(&mut output, &reply)?;
    output.flush()
}

/// Does `job` in this process (no limits): what [`run`] does once limited.
pub fn answer(job: Job) -> Reply {
    match job {
        Job::Render {
            template,
            document,
            seal,
        } => match Template::new(&template) {
            Err(e) => Reply::RenderFailed(RenderError::Typst(e.to_string())),
            Ok(template) => match render_pdf_with(&document, &seal, &template) {
                Ok(pdf) => Reply::rendered(&pdf),
                Err(e) => Reply::RenderFailed(e),
            },
        },
        Job::Validate { template, sample } => match validate_template(&template, &sample) {
            Ok(_) => Reply::Accepted,
            Err(e) => Reply::Refused(e),
        },
    }
}

/// Lowers this process's limits: CPU time, address space, heap, no core
/// files (a 1 GB core dump of a killed worker would be its own denial of
/// service) and no files written.
#[cfg(unix)]
fn limit(limits: Limits) -> io::Result<()> {
    use rlimit::Resource;
    // SIGXCPU at the soft limit; SIGKILL one second later if it is caught.
    rlimit::setrlimit(
        Resource::CPU,
        limits.cpu_seconds,
        limits.cpu_seconds.saturating_add(1),
    )?;
    rlimit::setrlimit(Resource::AS, limits.memory_bytes, limits.memory_bytes)?;
    rlimit::setrlimit(Resource::DATA, limits.memory_bytes, limits.memory_bytes)?;
    rlimit::setrlimit(Resource::CORE, 0, 0)?;
    rlimit::setrlimit(Resource::FSIZE, 0, 0)?;
    Ok(())
}

/// Without setrlimit a worker cannot limit itself: it refuses to run
/// rather than run unlimited (the server still kills it at its deadline).
#[cfg(not(unix))]
fn limit(_: Limits) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "render workers limit themselves with setrlimit, which this system lacks",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::VillageKeys;
    use crate::seal::Statement;

    fn seal() -> Seal {
        VillageKeys::from_secret_bytes([7; 32]).seal(Statement {
            village: "3310012001".into(),
            number: "474.4/001/2001/XI/2026".into(),
            kind: "domisili".into(),
            issued_on: "2026-11-22".into(),
            subject: "B*** S*****".into(),
            valid_until: None,
            token: "abcdefghijklmnopqrstuv".into(),
        })
    }

    #[test]
    fn a_request_and_its_reply_survive_the_pipe_as_json() {
        let mut doc = LetterDocument::sample();
        doc.letterhead.logo_svg = Some("<svg xmlns='http://www.w3.org/2000/svg'/>".into());
        let request = Request {
            limits: Limits::DEFAULT,
            job: Job::Render {
                template: crate::default_template().into(),
                document: doc.clone(),
                seal: seal(),
            },
        };
        let back: Request =
            serde_json::from_str(&serde_json::to_string(&request).unwrap()).unwrap();
        let Job::Render { document, .. } = back.job else {
            panic!("a render job")
        };
        assert_eq!(document, doc, "the logo travels too");

        let reply = answer(request.job);
        let pdf = reply.pdf().expect("rendered");
        assert!(pdf.starts_with(b"%PDF"));
        let back: Reply = serde_json::from_str(&serde_json::to_string(&reply).unwrap()).unwrap();
        assert_eq!(back.pdf(), Some(pdf));
    }

    #[test]
    fn a_refused_template_comes_back_with_its_located_error() {
        let reply = answer(Job::Validate {
            template: "#let d = json(\"/data.json\")\n#nomor".into(),
            sample: LetterDocument::sample(),
        });
        let text = serde_json::to_string(&reply).unwrap();
        let Reply::Refused(TemplateError::Compile(d)) = serde_json::from_str(&text).unwrap() else {
            panic!("refused: {text}")
        };
        assert_eq!(d[0].line, Some(2));
    }

    #[test]
    fn limits_asked_for_never_exceed_the_ceiling() {
        let asked = Limits {
            cpu_seconds: 3600,
            memory_bytes: u64::MAX,
        };
        assert_eq!(asked.at_most(Limits::CEILING), Limits::CEILING);
        let zero = Limits {
            cpu_seconds: 0,
            memory_bytes: 1,
        };
        assert_eq!(zero.at_most(Limits::CEILING).cpu_seconds, 1);
    }
}
