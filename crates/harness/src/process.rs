//! Child processes that are always stopped: by PID (their process group), on drop.

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::Result;

/// A running child in its own process group. Dropping it sends TERM to the group, waits up
/// to five seconds, then KILLs it, so a failing test never leaves a server behind.
pub struct Guard {
    name: String,
    child: Child,
    log: Option<PathBuf>,
}

/// `program arg arg …`, for messages.
pub fn describe(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

impl Guard {
    /// Start `cmd` in a new process group. With `log`, stdout and stderr go to that file
    /// (and [`Guard::log_tail`] can show it in failure messages); without, they are inherited.
    pub fn spawn(name: &str, cmd: &mut Command, log: Option<&Path>) -> Result<Guard> {
        cmd.process_group(0).stdin(Stdio::null());
        if let Some(path) = log {
            let out = File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let err = out.try_clone().map_err(|e| e.to_string())?;
            cmd.stdout(out).stderr(err);
        }
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start {name} (`{}`): {e}", describe(cmd)))?;
        Ok(Guard {
            name: name.to_owned(),
            child,
            log: log.map(Path::to_path_buf),
        })
    }

    /// The child's PID (also its process group id).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `Err` if the child already exited (e.g. a port clash), with the end of its log.
    pub fn check_alive(&mut self) -> Result {
        match self.child.try_wait() {
            Ok(Some(status)) => Err(format!(
                "{} exited early ({status}){}",
                self.name,
                self.log_tail()
            )),
            Ok(None) => Ok(()),
            Err(e) => Err(format!("{}: {e}", self.name)),
        }
    }

    /// The last lines of the child's log, prefixed with a newline, or "".
    pub fn log_tail(&self) -> String {
        let Some(path) = &self.log else {
            return String::new();
        };
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(15)..].join("\n");
        format!("\n--- {} ({}) ---\n{tail}", self.name, path.display())
    }

    /// Wait until `addr` accepts TCP connections, failing early if the child dies.
    pub fn wait_for_port(&mut self, addr: &str, timeout: Duration) -> Result {
        let deadline = Instant::now() + timeout;
        loop {
            self.check_alive()?;
            if std::net::TcpStream::connect(addr).is_ok() {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "{}: nothing listens on {addr} after {timeout:?}{}",
                    self.name,
                    self.log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn signal(&self, sig: &str) {
        let _ = Command::new("kill")
            .args([sig, "--", &format!("-{}", self.pid())])
            .stderr(Stdio::null())
            .status();
    }

    /// Stop now (the same as dropping), reporting how.
    pub fn stop(mut self) -> String {
        self.stop_inner()
    }

    fn stop_inner(&mut self) -> String {
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return format!("{} (pid {}) had exited", self.name, self.pid());
        }
        self.signal("-TERM");
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return format!("stopped {} (pid {})", self.name, self.pid());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.signal("-KILL");
        let _ = self.child.wait();
        format!("killed {} (pid {})", self.name, self.pid())
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.stop_inner();
    }
}
