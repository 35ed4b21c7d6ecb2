//! `backwatch-sim`: the simulated homelab. See `docs/simulator.md`.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use backwatch_sim::api::{Env, Product, Request};
use backwatch_sim::scenario::{Scale, Scenario};
use backwatch_sim::server::Clock;
use backwatch_sim::util::{parse_duration_ms, parse_instant};
use backwatch_sim::world::World;
use backwatch_sim::{Options, start, summary};

const USAGE: &str = "usage: backwatch-sim [options]

  --scenario <PATH|NAME>     scenario file, or a built-in: adr-homelab (default), scale-10k
  --now <EPOCH|RFC3339|scenario>
                             fix the clock (scenario = the file's lab.test_now);
                             default: the wall clock at start, history ends at now
  --ready-file <PATH>        write URLs, PEM paths, server names, credentials here (JSON)
  --state-dir <DIR>          where the certificates go (default: next to the ready file)
  --bind <IP>                loopback address to listen on (default 127.0.0.1)
  --pbs-port N, --pve-port N, --databasement-port N, --backrest-port N, --control-port N
                             fixed ports (default 0: free ones)
  --latency <DURATION>       added to every request, e.g. 50ms
  --auth-delay <DURATION>    delay of PBS/PVE authentication failures (default 3s)
  --scale <G>x<S>[x<N>]      synthetic PBS groups x snapshots [x namespaces]
  --check                    generate, print the summary and exit
  --dump <SOURCE> <PATH>     print one authenticated GET (or Backrest POST with {}) and exit
  -h, --help                 this text";

struct Cli {
    scenario: String,
    now: Option<String>,
    ready_file: Option<PathBuf>,
    state_dir: Option<PathBuf>,
    bind: IpAddr,
    ports: [u16; 5],
    latency: Duration,
    auth_delay: Duration,
    scale: Option<(u32, u32, u32)>,
    check: bool,
    dump: Option<(String, String)>,
}

fn parse_args(args: &[String]) -> Result<Cli, String> {
    let mut cli = Cli {
        scenario: "adr-homelab".into(),
        now: None,
        ready_file: None,
        state_dir: None,
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        ports: [0; 5],
        latency: Duration::ZERO,
        auth_delay: Duration::from_secs(3),
        scale: None,
        check: false,
        dump: None,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let port = |v: String| v.parse::<u16>().map_err(|_| format!("bad port {v:?}"));
        match arg.as_str() {
            "--scenario" => cli.scenario = value(arg)?,
            "--now" => cli.now = Some(value(arg)?),
            "--ready-file" => cli.ready_file = Some(PathBuf::from(value(arg)?)),
            "--state-dir" => cli.state_dir = Some(PathBuf::from(value(arg)?)),
            "--bind" => {
                let v = value(arg)?;
                cli.bind = v.parse().map_err(|_| format!("bad address {v:?}"))?;
            }
            "--pbs-port" => cli.ports[0] = port(value(arg)?)?,
            "--pve-port" => cli.ports[1] = port(value(arg)?)?,
            "--databasement-port" => cli.ports[2] = port(value(arg)?)?,
            "--backrest-port" => cli.ports[3] = port(value(arg)?)?,
            "--control-port" => cli.ports[4] = port(value(arg)?)?,
            "--latency" => cli.latency = Duration::from_millis(parse_duration_ms(&value(arg)?)?),
            "--auth-delay" => {
                cli.auth_delay = Duration::from_millis(parse_duration_ms(&value(arg)?)?);
            }
            "--scale" => {
                let v = value(arg)?;
                let parts: Vec<u32> = v
                    .split('x')
                    .map(|p| p.parse().map_err(|_| format!("bad --scale {v:?}")))
                    .collect::<Result<_, _>>()?;
                cli.scale = match parts.as_slice() {
                    [g, s] => Some((*g, *s, 5)),
                    [g, s, n] => Some((*g, *s, *n)),
                    _ => return Err(format!("bad --scale {v:?} (expected 300x35 or 300x35x5)")),
                };
            }
            "--check" => cli.check = true,
            "--dump" => {
                let source = value(arg)?;
                let path = value("--dump")?;
                cli.dump = Some((source, path));
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other:?}\n\n{USAGE}")),
        }
    }
    Ok(cli)
}

fn load(cli: &Cli) -> Result<Scenario, String> {
    let text = match Scenario::builtin(&cli.scenario) {
        Some(t) => t.to_owned(),
        None => std::fs::read_to_string(&cli.scenario)
            .map_err(|e| format!("scenario {}: {e}", cli.scenario))?,
    };
    let mut sc = Scenario::parse(&text).map_err(|e| format!("scenario {}:\n{e}", cli.scenario))?;
    if let Some((groups, snapshots, namespaces)) = cli.scale {
        let base = sc.scale.take();
        sc.scale = Some(Scale {
            store: base
                .as_ref()
                .map(|b| b.store.clone())
                .unwrap_or_else(|| "store1".into()),
            groups,
            snapshots,
            namespaces,
            schedule: base
                .as_ref()
                .map(|b| b.schedule.clone())
                .unwrap_or_else(|| "01:00".into()),
            first_id: base.map(|b| b.first_id).unwrap_or(1000),
        });
    }
    Ok(sc)
}

fn clock(cli: &Cli, sc: &Scenario) -> Result<Clock, String> {
    match cli.now.as_deref() {
        None => Ok(Clock::Wall),
        Some("scenario") => sc
            .test_now()?
            .map(Clock::Fixed)
            .ok_or_else(|| "--now scenario: the scenario has no lab.test_now".to_owned()),
        Some(s) => parse_instant(s).map(Clock::Fixed),
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let cli = parse_args(args)?;
    let sc = load(&cli)?;
    let clock = clock(&cli, &sc)?;
    let now = match clock {
        Clock::Fixed(t) => t,
        Clock::Wall => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0),
    };
    if cli.check {
        let world = World::generate(&sc, now);
        print!("{}", summary::text(&sc, &world));
        return Ok(());
    }
    if let Some((source, path)) = &cli.dump {
        let product =
            Product::from_key(source).ok_or_else(|| format!("unknown source {source:?}"))?;
        let world = World::generate(&sc, now);
        let env = Env {
            credentials: sc.credentials.clone(),
            auth_delay: Duration::ZERO,
        };
        let (_, auth) = backwatch_sim::server::credentials_for(product, &env);
        let headers = [
            ("authorization", auth.as_str()),
            ("accept", "application/json"),
        ];
        let req = if product == Product::Backrest {
            Request::post_json(path, "{\"selector\":{}}", &headers)
        } else {
            Request::get(path, &headers)
        };
        let resp = backwatch_sim::api::handle(product, &world, &env, &req);
        eprintln!("HTTP {}", resp.status);
        println!("{}", resp.text());
        return Ok(());
    }
    let state_dir = cli
        .state_dir
        .clone()
        .or_else(|| {
            cli.ready_file
                .as_ref()
                .and_then(|p| p.parent().map(|d| d.to_path_buf()))
        })
        .unwrap_or_else(|| {
            std::env::temp_dir().join(format!("backwatch-sim-{}", std::process::id()))
        });
    let ports = [
        (Product::Pbs, cli.ports[0]),
        (Product::Pve, cli.ports[1]),
        (Product::Databasement, cli.ports[2]),
        (Product::Backrest, cli.ports[3]),
    ];
    let opts = Options {
        scenario: sc,
        clock,
        bind: cli.bind,
        ports,
        control_port: cli.ports[4],
        latency: cli.latency,
        auth_delay: cli.auth_delay,
        state_dir,
        ready_file: cli.ready_file.clone(),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    rt.block_on(async move {
        let started = start(opts).await?;
        let info = &started.info;
        eprintln!(
            "backwatch-sim: scenario {} at {} ({} clock)",
            info["scenario"].as_str().unwrap_or(""),
            info["now_rfc3339"].as_str().unwrap_or(""),
            info["clock"].as_str().unwrap_or("")
        );
        for (k, v) in info["sources"].as_object().into_iter().flatten() {
            eprintln!("  {k:<13} {}", v["url"].as_str().unwrap_or(""));
        }
        eprintln!(
            "  {:<13} {}",
            "control",
            info["control"].as_str().unwrap_or("")
        );
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .map_err(|e| format!("signal handler: {e}"))?;
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        eprintln!("backwatch-sim: stopping");
        Ok::<(), String>(())
    })?;
    rt.shutdown_timeout(Duration::from_millis(200));
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e == USAGE => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("backwatch-sim: {e}");
            ExitCode::from(2)
        }
    }
}
