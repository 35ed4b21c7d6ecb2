//! Free loopback ports.

use std::net::TcpListener;

/// A port that was free on 127.0.0.1 a moment ago. The OS hands out ephemeral ports in
/// sequence, so a race with another test is unlikely; callers that bind it themselves
/// should prefer binding port 0 directly.
pub fn free_port() -> crate::Result<u16> {
    let listener =
        TcpListener::bind(("127.0.0.1", 0)).map_err(|e| format!("bind 127.0.0.1:0: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}
