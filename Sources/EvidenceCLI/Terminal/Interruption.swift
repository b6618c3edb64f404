import Dispatch
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Ctrl-C or SIGTERM in the middle of writing plaintext (an export, an extracted exhibit): what was written so far
/// is removed before the program stops, so no half-made copy of the evidence is left for someone else to find.
enum Interruption {
  /// Runs `body`; if SIGINT or SIGTERM comes meanwhile, removes what `written` names (asked for at that moment),
  /// says so in one line, and exits with 130 or 143.
  static func removing<T>(_ written: @escaping @Sendable () -> [URL], during body: () throws -> T) throws -> T {
    let signals = [SIGINT, SIGTERM]
    let sources = signals.map { number in
      signal(number, SIG_IGN)  // delivered to the source below instead of ending the process at once
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        for url in written() { try? FileManager.default.removeItem(at: url) }
        Diagnostics.error("Stopped: what was written so far was removed; nothing was kept.")
        _exit(128 + number)
      }
      source.resume()
      return source
    }
    defer {
      for source in sources { source.cancel() }
      for number in signals { signal(number, SIG_DFL) }
    }
    return try body()
  }
}
