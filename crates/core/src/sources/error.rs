//! Errors of reading a source. They keep their cause: status, body excerpt, decode path.

use std::fmt;

use super::TransportError;

/// Why a source (or one of its endpoints) could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceError {
    /// No HTTP response at all.
    Transport {
        /// Request path.
        path: String,
        /// What went wrong.
        error: TransportError,
    },
    /// The server (or the proxy) rejected our credentials: 401.
    Unauthorized {
        /// Request path.
        path: String,
        /// Bounded, single-line excerpt of the body (may be empty).
        body_excerpt: String,
    },
    /// Authenticated but not allowed: 403.
    Forbidden {
        /// Request path.
        path: String,
        /// Bounded, single-line excerpt of the body (may be empty).
        body_excerpt: String,
    },
    /// Any other non-2xx status.
    Status {
        /// Request path.
        path: String,
        /// HTTP status (0 when no response arrived at all).
        status: u16,
        /// Bounded, single-line excerpt of the body (the message of a JSON error body).
        body_excerpt: String,
    },
    /// A 2xx response whose body did not decode.
    Decode {
        /// Request path.
        path: String,
        /// What did not fit, with the JSON path: `data[3].backup-time: invalid type: …`.
        detail: String,
        /// Bounded, single-line excerpt of the body.
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
