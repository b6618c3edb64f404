import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A progress bar on stderr for files over a few MiB, and only when stderr is a terminal.
final class ProgressBar {
  static let threshold: Int64 = 4 << 20
  private let label: String
  private let enabled: Bool
  private var lastShown = -1

  init(_ label: String) {
    self.label = label
    self.enabled = isatty(STDERR_FILENO) == 1
  }

  /// Call with bytes done and bytes in all; draws at most once per percent.
  func update(_ done: Int64, _ total: Int64) {
    update(done, total, minimum: Self.threshold) { ByteCountFormatter.string(fromByteCount: $0, countStyle: .file) }
  }

  /// Call with records done and records in all; shown for a journal of many records only.
  func update(records done: Int, of total: Int) {
    update(Int64(done), Int64(total), minimum: 10_000) { "\($0) records" }
  }

  /// Draws at most once per percent, and only when `total` is at least `minimum`.
  private func update(_ done: Int64, _ total: Int64, minimum: Int64, describe: (Int64) -> String) {
    guard enabled, total >= minimum else { return }
    let percent = Int(min(100, done * 100 / max(total, 1)))
    guard percent != lastShown else { return }
    lastShown = percent
    let width = 30
    let filled = percent * width / 100
    let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
    let text = "\r\(label) \(bar) \(percent)% of \(describe(total))"
    FileHandle.standardError.write(Data(text.utf8))
    if percent == 100 { FileHandle.standardError.write(Data("\n".utf8)) }
  }
}
