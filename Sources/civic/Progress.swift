import ArgumentParser
import CivicCore
import CivicStore
import Foundation

/// `--quiet` and `--progress`/`--no-progress`, declared once for every command that works for long
/// (`coverage`, `gaps`, `map`, `validate`, `list`, `export`, the imports).
///
/// Progress goes to stderr, rewritten in place, and by default only when stderr is a terminal
/// (never into a pipe or a log file); `--progress` forces it, `--no-progress` silences it.
/// `--quiet` leaves only errors (and their hints): no progress, warnings, notes or summaries.
struct ProgressOptions: ParsableArguments {
    @Flag(help: "Print only errors: no progress, warnings or summaries.")
    var quiet = false

    @Flag(inversion: .prefixedNo, help: "Show progress on stderr (default: only when stderr is a terminal).")
    var progress: Bool?

    /// Checks the pair and sets how the command speaks. ArgumentParser runs `validate()` once,
    /// after parsing and before `run()`, for each option group, so no command has to remember
    /// to apply the group itself.
    func validate() throws {
        if quiet && progress == true {
            throw ValidationError("--quiet and --progress contradict each other: pass one of them")
        }
        Diagnostics.quiet = quiet
        Diagnostics.showsProgress = !quiet && (progress ?? Diagnostics.isTerminal)
    }
}

/// Named steps of long work on stderr: `civic: reading entities…`, `civic: measuring 300
/// districts… 120/300`, each rewritten in place and cleared when done, so that the last thing
/// on the terminal is the result. Shown only when ``Diagnostics/showsProgress``.
enum Progress {
    /// Shows `name…` while `body` runs, then clears the line.
    static func step<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        show(name + "…")
        defer { clear() }
        return try body()
    }

    /// As ``step(_:_:)`` for asynchronous work.
    static func step<T>(_ name: String, _ body: () async throws -> T) async rethrows -> T {
        show(name + "…")
        defer { clear() }
        return try await body()
    }

    /// A reporter of a fraction done, for CivicAnalysis: `measuring 300 districts… 40 %`.
    /// Only a change of the whole percentage is written; the tiles that report run in parallel.
    static func fraction(_ name: String) -> (@Sendable (Double) -> Void)? {
        guard Diagnostics.showsProgress else { return nil }
        let shown = Percent()
        return { fraction in
            if fraction >= 1 {
                clear()
            } else {
                shown.advance(to: Int(fraction * 100)) { show("\(name)… \($0) %") }
            }
        }
    }

    /// The last percentage written, behind a lock.
    private final class Percent: @unchecked Sendable {
        private let lock = NSLock()
        private var last = -1

        /// Writes the percentage with `write` when it is more than the last one written; under the
        /// lock, so that two tiles never write at once.
        func advance(to percent: Int, _ write: (Int) -> Void) {
            lock.lock()
            defer { lock.unlock() }
            guard percent > last else { return }
            last = percent
            write(percent)
        }
    }

    /// A live count for the dataset's reader: `reading entities… 120,000` while a file is parsed,
    /// `checking entities… 120,000/400,000` while each feature is checked; nil when progress is
    /// not shown, so the reader does not even count. The reader reports every few thousand
    /// features, so each report is written.
    static func reading() -> ReadingProgressHandler? {
        guard Diagnostics.showsProgress else { return nil }
        return { report in
            // `entities.geojson` → `entities`: the words of the other steps.
            let what = report.file.hasSuffix(".geojson") ? String(report.file.dropLast(".geojson".count)) : report.file
            switch report.stage {
            case .reading: show("reading \(what)… \(report.done.grouped)")
            case .checking: show("checking \(what)… \(report.done.grouped)/\((report.total ?? report.done).grouped)")
            }
        }
    }

    /// A counter of `total` items, shown at most a hundred times: `importing… 1200/5000`.
    final class Counter: @unchecked Sendable {
        private let name: String
        private let step: Int
        private var lastShown = 0

        init(_ name: String, total: Int) {
            self.name = name
            step = max(1, total / 100)
        }

        /// Called for each item; only some calls print. Not thread-safe: one caller at a time.
        func show(_ done: Int, _ total: Int) {
            guard Diagnostics.showsProgress, done - lastShown >= step || done == total else { return }
            lastShown = done
            Progress.show("\(name)… \(done.grouped)/\(total.grouped)")
        }

        func finish() { Progress.clear() }
    }

    static func show(_ text: String) {
        if Diagnostics.showsProgress { Diagnostics.progress(text) }
    }

    static func clear() {
        if Diagnostics.showsProgress { Diagnostics.progress(nil) }
    }
}

extension Int {
    /// `40,000`: the count as progress lines write it.
    var grouped: String { TableWords.grouped(String(self), separator: ",") }
}
