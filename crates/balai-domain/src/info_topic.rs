//! The topics a kiosk groups its information pages under.

/// A kiosk information page's topic; stored by its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InfoTopic {
    /// Health services.
    Kesehatan,
    /// Schools and education.
    Pendidikan,
    /// Civil registration.
    Kependudukan,
    /// Social assistance.
    Sosial,
    /// Farming.
    Pertanian,
    /// Anything else.
    Lainnya,
}

impl InfoTopic {
    /// Every topic, in the order a kiosk lists them.
    pub const ALL: [InfoTopic; 6] = [
        InfoTopic::Kesehatan,
        InfoTopic::Pendidikan,
        InfoTopic::Kependudukan,
        InfoTopic::Sosial,
        InfoTopic::Pertanian,
        InfoTopic::Lainnya,
    ];

    /// The stored code, e.g. `kesehatan`.
    pub fn code(self) -> &'static str {
        match self {
            InfoTopic::Kesehatan => "kesehatan",
            InfoTopic::Pendidikan => "pendidikan",
            InfoTopic::Kependudukan => "kependudukan",
            InfoTopic::Sosial => "sosial",
            InfoTopic::Pertanian => "pertanian",
            InfoTopic::Lainnya => "lainnya",
        }
    }

    /// The topic with this code, if there is one.
    pub fn parse(code: &str) -> Option<InfoTopic> {
        InfoTopic::ALL.into_iter().find(|t| t.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_as_its_topic_and_nothing_else_parses() {
        for t in InfoTopic::ALL {
            assert_eq!(InfoTopic::parse(t.code()), Some(t));
        }
        assert_eq!(InfoTopic::parse("Kesehatan"), None);
        assert_eq!(InfoTopic::parse(""), None);
    }
}
