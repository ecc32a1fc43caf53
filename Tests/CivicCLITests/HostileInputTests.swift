import CivicCore
import CivicTestSupport
import Foundation
import Testing

/// What a new user types by mistake or brings from elsewhere, against `suggest`, `coverage --walk`
/// and `concerns`: each is refused with one line naming the place and a non-zero code, never a
/// crash, a hang or a stack trace.
@Suite("hostile inputs to suggest, walking and concerns, run as a program")
struct HostileInputTests {
    /// A stack trace or a runtime trap in the output: the process crashed instead of refusing.
    func crashed(_ result: RunResult) -> Bool {
        ["Fatal error", "Backtracing", "Swift runtime failure", "Stack dump"].contains { result.stderr.contains($0) }
    }

    @Test("--cell 1e-9 is refused as a grid too fine (exit 1, a cell that fits), not an arithmetic overflow")
    func cellTooSmallToCount() throws {
        for cell in ["1e-9", "1e-300"] {
            let result = try civic("suggest", "--dataset", bundledDataset, "--count", "3", "--cell", cell)
            #expect(result.status == 1 && !crashed(result), "\(result)")
            #expect(result.stderrLines.first?.hasPrefix("civic: error: a grid of \(cell) m cells over the districts would have ") == true,
                    "\(result.stderr)")
            #expect(result.stderr.contains("more than the 4000000 civic takes"), "\(result.stderr)")
            #expect(result.stderrLines.last?.hasPrefix("hint: use --cell ") == true, "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }
}
