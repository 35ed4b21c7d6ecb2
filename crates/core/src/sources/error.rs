//! Errors of reading a source. They keep their cause: status, body excerpt, decode path.

use std::fmt;

use super::TransportError;

/// Why a source (or one of its endpoints) could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceError {
    /// No HTTP response at all.
    Transport { path: String, error: TransportError },
    /// The server (or the proxy) rejected our credentials: 401.
    Unauthorized { path: String, body_excerpt: String },
    /// Authenticated but not allowed: 403.
    Forbidden { path: String, body_excerpt: String },
    /// Any other non-2xx status.
    Status {
        path: String,
        status: u16,
        body_excerpt: String,
    },
    /// A 2xx response whose body did not decode.
    Decode {
        path: String,
        detail: String,
        body_excerpt: String,
    },
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceError::Transport { path, error } => write!(f, "{path}: {error}"),
            SourceError::Unauthorized { path, body_excerpt } => {
                write!(f, "{path}: credentials rejected (401)")?;
                excerpt(f, body_excerpt)
            }
            SourceError::Forbidden { path, body_excerpt } => {
                write!(f, "{path}: permission denied (403)")?;
                excerpt(f, body_excerpt)
            }
            SourceError::Status {
                path,
                status,
                body_excerpt,
            } => {
                write!(f, "{path}: HTTP {status}")?;
                excerpt(f, body_excerpt)
            }
            SourceError::Decode {
                path,
                detail,
                body_excerpt,
            } => {
                write!(f, "{path}: unexpected response: {detail}")?;
                excerpt(f, body_excerpt)
            }
        }
    }
}

fn excerpt(f: &mut fmt::Formatter<'_>, body: &str) -> fmt::Result {
    if body.is_empty() {
        Ok(())
    } else {
        write!(f, ": {body}")
    }
}
