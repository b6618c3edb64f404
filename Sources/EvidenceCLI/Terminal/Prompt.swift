import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Questions on the terminal for the guided `add`.
enum Prompt {
  /// True when stdin and stderr are a terminal, so questions can be asked.
  static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1 }

  /// Asks one question; Enter alone gives "".
  static func ask(_ question: String) -> String {
    FileHandle.standardError.write(Data((question + " ").utf8))
    return readLine(strippingNewline: true) ?? ""
  }

  /// Asks until `check` accepts the answer, showing its complaint each time.
  static func ask<T>(_ question: String, check: (String) -> Result<T, any Error>) -> T {
    while true {
      switch check(ask(question)) {
      case .success(let value): return value
      case .failure(let error): FileHandle.standardError.write(Data(("  \(error)\n").utf8))
      }
    }
  }

  /// A yes/no question.
  static func confirm(_ question: String, default answer: Bool) -> Bool {
    let reply = ask(question + (answer ? " [Y/n]" : " [y/N]")).lowercased()
    if reply.isEmpty { return answer }
    return ["y", "yes", "j", "ja"].contains(reply)
  }
}
