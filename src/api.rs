//! HTTP for the widget: same-origin GETs with no Content-Type (PBS ignores query
//! parameters on a GET that carries one). Errors keep status and a body excerpt.

use gloo_net::http::Request;

/// A failed fetch, with its cause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchError {
    Network(String),
    Status { status: u16, excerpt: String },
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Network(m) => write!(f, "network error: {m}"),
            FetchError::Status { status, excerpt } if excerpt.is_empty() => {
                write!(f, "HTTP {status}")
            }
            FetchError::Status { status, excerpt } => write!(f, "HTTP {status}: {excerpt}"),
        }
    }
}

/// GET `path` (same origin, relative to the page) and return the body text of a 2xx answer.
pub async fn get_text(path: &str) -> Result<String, FetchError> {
    let response = Request::get(path)
        .send()
        .await
        .map_err(|e| FetchError::Network(e.to_string()))?;
    let status = response.status();
    let body = response
        .text()
        .await
        .map_err(|e| FetchError::Network(e.to_string()))?;
    if (200..300).contains(&status) {
        Ok(body)
    } else {
        Err(FetchError::Status {
            status,
            excerpt: excerpt(&body, 200),
        })
    }
}

/// At most `max` characters of `body`, whitespace collapsed, cut on a char boundary.
fn excerpt(body: &str, max: usize) -> String {
    let collapsed = body.split_whitespace().collect::<Vec<_>>().join(" ");
    match collapsed.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &collapsed[..cut]),
        None => collapsed,
    }
}
