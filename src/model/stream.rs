//! A run's report one démarche at a time: a campaign of hundreds of démarches does not fit in
//! memory as one [`Report`], so the audit spools each démarche's report to a temporary file as
//! soon as it is assembled, and report.json, the store and the site read it back one démarche at
//! a time. The same [`ReportSource`] reads a report.json from disk (`vigie report`, `vigie import`)
//! or an in-memory [`Report`] (tests, small runs).

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{DemarcheOverview, DemarcheReport, Report, ReportError, RunConfig, ToolInfo};

/// Everything in report.json but the démarches.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RunHeader {
    pub schema_version: String,
    pub tool: ToolInfo,
    pub started_at: String,
    pub finished_at: String,
    pub config: RunConfig,
}

/// A run's report read one démarche at a time, as many times as needed.
pub trait ReportSource {
    fn header(&self) -> RunHeader;

    /// Hands each démarche to `f`, in report order, one at a time; stops at `f`'s first error.
    fn each_demarche<E: From<ReportError>>(
        &self,
        f: impl FnMut(DemarcheReport) -> Result<(), E>,
    ) -> Result<(), E>;
}

impl Report {
    pub fn header(&self) -> RunHeader {
        RunHeader {
            schema_version: self.schema_version.clone(),
            tool: self.tool.clone(),
            started_at: self.started_at.clone(),
            finished_at: self.finished_at.clone(),
            config: self.config.clone(),
        }
    }

    pub fn from_parts(header: RunHeader, demarches: Vec<DemarcheReport>) -> Report {
        Report {
            schema_version: header.schema_version,
            tool: header.tool,
            started_at: header.started_at,
            finished_at: header.finished_at,
            config: header.config,
            demarches,
        }
    }

    /// A whole report from any source (for tests and small runs: it holds every démarche).
    pub fn collect<S: ReportSource>(src: &S) -> Result<Report, ReportError> {
        let mut demarches = Vec::new();
        src.each_demarche(|d| {
            demarches.push(d);
            Ok::<(), ReportError>(())
        })?;
        Ok(Report::from_parts(src.header(), demarches))
    }
}

impl ReportSource for Report {
    fn header(&self) -> RunHeader {
        Report::header(self)
    }

    fn each_demarche<E: From<ReportError>>(
        &self,
        mut f: impl FnMut(DemarcheReport) -> Result<(), E>,
    ) -> Result<(), E> {
        for d in &self.demarches {
            f(d.clone())?;
        }
        Ok(())
    }
}

/// A source whose démarches are changed on the way (e.g. re-scored with declarations).
pub struct MapDemarches<'a, S, F> {
    src: &'a S,
    f: F,
}

impl<'a, S: ReportSource, F: Fn(&mut DemarcheReport)> MapDemarches<'a, S, F> {
    pub fn new(src: &'a S, f: F) -> Self {
        MapDemarches { src, f }
    }
}

impl<S: ReportSource, F: Fn(&mut DemarcheReport)> ReportSource for MapDemarches<'_, S, F> {
    fn header(&self) -> RunHeader {
        self.src.header()
    }

    fn each_demarche<E: From<ReportError>>(
        &self,
        mut g: impl FnMut(DemarcheReport) -> Result<(), E>,
    ) -> Result<(), E> {
        self.src.each_demarche(|mut d| {
            (self.f)(&mut d);
            g(d)
        })
    }
}

/// Démarche reports written to an unnamed temporary file as they are assembled (one JSON value
/// each). The file disappears with the process, even a killed one.
/// A démarche's spool line (its report as one JSON line) and its overview: what the spool keeps
/// of it, so the report itself can be dropped where it was assembled.
pub struct SerializedDemarche {
    line: Vec<u8>,
    overview: DemarcheOverview,
}

impl SerializedDemarche {
    pub fn of(d: &DemarcheReport) -> Result<SerializedDemarche, ReportError> {
        let mut line = serde_json::to_vec(d)?;
        line.push(b'\n');
        Ok(SerializedDemarche {
            line,
            overview: d.overview(),
        })
    }
}

pub struct SpoolWriter {
    file: BufWriter<File>,
    dir: PathBuf,
    overviews: Vec<DemarcheOverview>,
}

impl SpoolWriter {
    /// A spool in `dir` (on disk: a memory-backed /tmp would defeat its purpose).
    pub fn new_in(dir: &Path) -> Result<SpoolWriter, ReportError> {
        let io = |source| ReportError::Io {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let file = tempfile::tempfile_in(dir).map_err(io)?;
        Ok(SpoolWriter {
            file: BufWriter::new(file),
            dir: dir.to_path_buf(),
            overviews: Vec::new(),
        })
    }

    pub fn push(&mut self, d: &DemarcheReport) -> Result<(), ReportError> {
        self.push_serialized(SerializedDemarche::of(d)?)
    }

    /// Append a démarche serialized elsewhere (off the thread that writes the spool).
    pub fn push_serialized(&mut self, d: SerializedDemarche) -> Result<(), ReportError> {
        self.file.write_all(&d.line).map_err(|e| self.io(e))?;
        self.overviews.push(d.overview);
        Ok(())
    }

    fn io(&self, source: std::io::Error) -> ReportError {
        ReportError::Io {
            path: self.dir.clone(),
            source,
        }
    }

    /// The spooled démarches under their run header.
    pub fn finish(self, header: RunHeader) -> Result<SpooledReport, ReportError> {
        let dir = self.dir.clone();
        let file = self.file.into_inner().map_err(|e| ReportError::Io {
            path: dir.clone(),
            source: e.into_error(),
        })?;
        Ok(SpooledReport {
            file,
            dir,
            header,
            overviews: self.overviews,
        })
    }
}

/// A finished spool: the run header in memory, the démarches on disk.
pub struct SpooledReport {
    file: File,
    dir: PathBuf,
    header: RunHeader,
    overviews: Vec<DemarcheOverview>,
}

impl SpooledReport {
    /// The overview of each spooled démarche, in report order.
    pub fn overviews(&self) -> &[DemarcheOverview] {
        &self.overviews
    }
}

impl ReportSource for SpooledReport {
    fn header(&self) -> RunHeader {
        self.header.clone()
    }

    fn each_demarche<E: From<ReportError>>(
        &self,
        mut f: impl FnMut(DemarcheReport) -> Result<(), E>,
    ) -> Result<(), E> {
        let io = |source| ReportError::Io {
            path: self.dir.clone(),
            source,
        };
        let mut file = self.file.try_clone().map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        // One line per démarche (compact JSON holds no raw newline), parsed from memory:
        // serde_json reading through `io::Read` goes byte by byte, several times slower, and
        // report.json, the store and the site each read the whole spool.
        let mut reader = BufReader::with_capacity(1 << 16, file);
        let mut line = Vec::new();
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line).map_err(io)? == 0 {
                return Ok(());
            }
            let d: DemarcheReport = serde_json::from_slice(&line).map_err(ReportError::from)?;
            f(d)?;
        }
    }
}

/// A report.json on disk, read one démarche at a time.
pub struct ReportFile {
    path: PathBuf,
    header: RunHeader,
}

impl ReportFile {
    pub fn open(path: &Path) -> Result<ReportFile, ReportError> {
        let header = read_header(path)?;
        let header =
            serde_json::from_value(Value::Object(header)).map_err(|e| read_err(path, e))?;
        Ok(ReportFile {
            path: path.to_path_buf(),
            header,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl ReportSource for ReportFile {
    fn header(&self) -> RunHeader {
        self.header.clone()
    }

    fn each_demarche<E: From<ReportError>>(
        &self,
        f: impl FnMut(DemarcheReport) -> Result<(), E>,
    ) -> Result<(), E> {
        for_each_demarche_in(&self.path, f)
    }
}

fn read_err(path: &Path, e: impl std::error::Error + Send + Sync + 'static) -> ReportError {
    ReportError::Read {
        path: path.to_path_buf(),
        source: Box::new(e),
    }
}

fn open_reader(path: &Path) -> Result<BufReader<File>, ReportError> {
    File::open(path)
        .map(|f| BufReader::with_capacity(1 << 16, f))
        .map_err(|e| read_err(path, e))
}

/// Every top-level member of a report.json but `demarches` (skipped without being held), which
/// must be there.
pub fn read_header(path: &Path) -> Result<Map<String, Value>, ReportError> {
    struct HeaderVisitor;
    impl<'de> Visitor<'de> for HeaderVisitor {
        type Value = Map<String, Value>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("un objet JSON de rapport")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Map::new();
            let mut demarches = false;
            while let Some(key) = map.next_key::<String>()? {
                if key == "demarches" {
                    map.next_value::<IgnoredAny>()?;
                    demarches = true;
                } else {
                    let v: Value = map.next_value()?;
                    out.insert(key, v);
                }
            }
            if !demarches {
                return Err(de::Error::missing_field("demarches"));
            }
            Ok(out)
        }
    }
    let mut de = serde_json::Deserializer::from_reader(open_reader(path)?);
    let header = de::Deserializer::deserialize_map(&mut de, HeaderVisitor)
        .and_then(|h| de.end().map(|()| h))
        .map_err(|e| read_err(path, e))?;
    Ok(header)
}

/// Hands each element of a report.json's `demarches` array to `f`, one at a time, as `T`
/// (a [`DemarcheReport`], or a `serde_json::Value` for lenient readers such as the store's import).
pub fn for_each_demarche_in<T: DeserializeOwned, E: From<ReportError>>(
    path: &Path,
    mut f: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let mut stopped: Option<E> = None;
    let visitor = ReportVisitor {
        f: &mut f,
        stopped: &mut stopped,
        _t: PhantomData,
    };
    let mut de = serde_json::Deserializer::from_reader(open_reader(path)?);
    let result = de::Deserializer::deserialize_map(&mut de, visitor).and_then(|()| de.end());
    if let Some(e) = stopped {
        return Err(e);
    }
    result.map_err(|e| E::from(read_err(path, e)))
}

struct ReportVisitor<'a, T, F, E> {
    f: &'a mut F,
    stopped: &'a mut Option<E>,
    _t: PhantomData<T>,
}

impl<'de, T: DeserializeOwned, F: FnMut(T) -> Result<(), E>, E> Visitor<'de>
    for ReportVisitor<'_, T, F, E>
{
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("un objet JSON de rapport")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "demarches" {
                map.next_value_seed(DemarchesSeed {
                    f: &mut *self.f,
                    stopped: &mut *self.stopped,
                    _t: PhantomData,
                })?;
                seen = true;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        if !seen {
            return Err(de::Error::missing_field("demarches"));
        }
        Ok(())
    }
}

struct DemarchesSeed<'a, T, F, E> {
    f: &'a mut F,
    stopped: &'a mut Option<E>,
    _t: PhantomData<T>,
}

impl<'de, T: DeserializeOwned, F: FnMut(T) -> Result<(), E>, E> DeserializeSeed<'de>
    for DemarchesSeed<'_, T, F, E>
{
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: DeserializeOwned, F: FnMut(T) -> Result<(), E>, E> Visitor<'de>
    for DemarchesSeed<'_, T, F, E>
{
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("une liste de démarches")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(d) = seq.next_element::<T>()? {
            if let Err(e) = (self.f)(d) {
                *self.stopped = Some(e);
                return Err(de::Error::custom("lecture interrompue"));
            }
        }
        Ok(())
    }
}

/// Write report.json into `out_dir` from any source, one démarche at a time, atomically. The
/// bytes equal `serde_json::to_string_pretty` of the whole report.
pub fn write_json<S: ReportSource>(src: &S, out_dir: &Path) -> Result<PathBuf, ReportError> {
    let path = out_dir.join("report.json");
    super::write_atomic_with(&path, |w| {
        let h = src.header();
        // The field order of `Report`: the header's, then the démarches.
        w.write_all(b"{")?;
        member(w, "schema_version", &h.schema_version)?;
        w.write_all(b",")?;
        member(w, "tool", &h.tool)?;
        w.write_all(b",")?;
        member(w, "started_at", &h.started_at)?;
        w.write_all(b",")?;
        member(w, "finished_at", &h.finished_at)?;
        w.write_all(b",")?;
        member(w, "config", &h.config)?;
        w.write_all(b",\n  \"demarches\": [")?;
        let mut n = 0usize;
        src.each_demarche(|d| {
            w.write_all(if n == 0 { b"\n    " } else { b",\n    " })?;
            // Printed straight to the file: no démarche-sized string. The buffer in front of
            // the padding hands it 64 KiB at a time, not each of the printer's small pieces.
            let mut indented = BufWriter::with_capacity(
                1 << 16,
                Indent {
                    w: &mut *w,
                    pad: b"\n    ",
                },
            );
            serde_json::to_writer_pretty(&mut indented, &d)?;
            indented.flush()?;
            n += 1;
            Ok::<(), ReportError>(())
        })?;
        w.write_all(if n == 0 { b"]\n}" } else { b"\n  ]\n}" })?;
        Ok(())
    })?;
    Ok(path)
}

/// Pretty JSON as if nested deeper: each newline gets the padding after it (JSON strings hold
/// no raw newline, so only the layout's newlines are touched).
struct Indent<'a> {
    w: &'a mut dyn Write,
    pad: &'static [u8],
}

impl Write for Indent<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while let Some(i) = rest.iter().position(|&b| b == b'\n') {
            self.w.write_all(&rest[..i])?;
            self.w.write_all(self.pad)?;
            rest = &rest[i + 1..];
        }
        self.w.write_all(rest)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.w.flush()
    }
}

/// One member of the top-level object, pretty-printed one level deep.
fn member<T: Serialize>(w: &mut dyn Write, key: &str, v: &T) -> Result<(), ReportError> {
    write!(w, "\n  \"{key}\": ")?;
    serde_json::to_writer_pretty(Indent { w, pad: b"\n  " }, v)?;
    Ok(())
}
