//! A throwaway PostgreSQL cluster for tests: `initdb` and `pg_ctl` from Debian's `postgresql`
//! package, in a temporary folder, on a free port; stopped and removed on drop (also when the
//! test panics). Where the binaries are absent, [`PgCluster::start`] prints why and returns None,
//! and the test returns early.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The superuser's password (host connections ask for it; a wrong one is refused).
pub const PASSWORD: &str = "vigie-test";

pub struct PgCluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    pub port: u16,
    /// Run the server binaries as this user (they refuse root).
    as_user: Option<&'static str>,
}

fn bin_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("VIGIE_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").exists() && b.join("pg_ctl").exists())
        .collect();
    versions.sort();
    versions.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

impl PgCluster {
    /// A new cluster, or None (with a printed reason) when PostgreSQL is not installed.
    pub fn start() -> Option<PgCluster> {
        let Some(bin) = bin_dir() else {
            eprintln!(
                "PostgreSQL absent (initdb/pg_ctl introuvables dans /usr/lib/postgresql/*/bin) : test PostgreSQL ignoré ; installer le paquet `postgresql`"
            );
            return None;
        };
        let as_user = is_root().then_some("postgres");
        let dir = tempfile::Builder::new()
            .prefix("vigie-pg")
            .tempdir()
            .expect("temp dir");
        let pwfile = dir.path().join("pw");
        std::fs::write(&pwfile, PASSWORD).expect("password file");
        if let Some(user) = as_user {
            let ok = Command::new("chown")
                .args(["-R", user])
                .arg(dir.path())
                .status()
                .expect("chown")
                .success();
            assert!(ok, "chown du dossier du cluster");
        }
        let mut cluster = PgCluster {
            bin,
            dir,
            port: free_port(),
            as_user,
        };
        let data = cluster.data();
        let out = cluster
            .command("initdb")
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                "postgres",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .arg(format!("--pwfile={}", pwfile.display()))
            .output()
            .expect("initdb");
        assert!(
            out.status.success(),
            "initdb : {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // A port taken between free_port and the start: try another.
        for _ in 0..3 {
            let opts = format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                cluster.port,
                cluster.dir.path().display()
            );
            let out = cluster
                .command("pg_ctl")
                .arg("-D")
                .arg(&data)
                .args(["-w", "-l"])
                .arg(cluster.dir.path().join("log"))
                .args(["-o", &opts, "start"])
                .output()
                .expect("pg_ctl start");
            if out.status.success() {
                return Some(cluster);
            }
            cluster.port = free_port();
        }
        panic!(
            "pg_ctl start : {}",
            std::fs::read_to_string(cluster.dir.path().join("log")).unwrap_or_default()
        );
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn command(&self, name: &str) -> Command {
        let exe = self.bin.join(name);
        match self.as_user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(exe);
                c
            }
            None => Command::new(exe),
        }
    }

    /// A new empty database, and its URL (with the password).
    pub fn database(&self, name: &str) -> String {
        let out = self
            .command("createdb")
            .args(["-h"])
            .arg(self.dir.path())
            .args(["-p", &self.port.to_string(), "-U", "postgres", name])
            .output()
            .expect("createdb");
        assert!(
            out.status.success(),
            "createdb : {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.url(name)
    }

    pub fn url(&self, db: &str) -> String {
        format!(
            "postgres://postgres:{PASSWORD}@127.0.0.1:{}/{db}",
            self.port
        )
    }

    /// Run SQL with psql (over the socket, as the superuser); its standard output.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let out = self
            .command("psql")
            .arg("-h")
            .arg(self.dir.path())
            .args(["-p", &self.port.to_string(), "-U", "postgres", "-d", db])
            .args(["-v", "ON_ERROR_STOP=1", "-At", "-c", sql])
            .output()
            .expect("psql");
        assert!(
            out.status.success(),
            "psql : {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl PgCluster {
    fn stop(&self) {
        let data = self.data();
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(&data)
            .args(["-m", "immediate", "-w", "stop"])
            .output();
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The cluster shared by the tests of one test binary (one start per binary keeps the suite
/// fast); stopped and removed when the binary exits.
static SHARED: OnceLock<Option<PgCluster>> = OnceLock::new();

extern "C" {
    fn atexit(f: extern "C" fn()) -> std::os::raw::c_int;
}

extern "C" fn stop_shared() {
    if let Some(Some(c)) = SHARED.get() {
        c.stop();
        let _ = std::fs::remove_dir_all(c.dir());
    }
}

/// This test binary's cluster, started on first use; None (with the printed reason) when
/// PostgreSQL is not installed.
pub fn shared() -> Option<&'static PgCluster> {
    SHARED
        .get_or_init(|| {
            let c = PgCluster::start();
            if c.is_some() {
                // Statics are never dropped: the server is stopped when the process exits.
                // SAFETY: registers a plain function with no arguments, once.
                unsafe {
                    atexit(stop_shared);
                }
            }
            c
        })
        .as_ref()
}

/// A new database of the shared cluster (named after `name`, unique in the binary): its URL.
pub fn shared_database(name: &str) -> Option<String> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let pg = shared()?;
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    Some(pg.database(&format!("{clean}_{n}")))
}

/// The stores a test runs on: `sqlite` (a file path), then a new PostgreSQL database of the
/// shared cluster, unless PostgreSQL is not installed (then the reason is printed once and the
/// test runs on SQLite only).
pub fn stores(sqlite: &Path, name: &str) -> Vec<String> {
    let mut out = vec![sqlite.to_string_lossy().into_owned()];
    out.extend(shared_database(name));
    out
}

/// Whether `db` (a SQLite path, or a database of the shared cluster) holds no vigie schema: a
/// file that does not exist, or a database without tables.
pub fn is_empty(db: &str) -> bool {
    if !db.starts_with("postgres://") {
        return !Path::new(db).exists();
    }
    let name = db.rsplit('/').next().unwrap_or_default();
    shared()
        .expect("cluster")
        .psql(name, "SELECT to_regclass('vigie_schema') IS NULL")
        == "t"
}
