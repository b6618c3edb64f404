import EvidenceCatalogue
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Questions on the terminal for the guided `add`.
enum Prompt {
  /// True when stdin and stderr are a terminal, so questions can be asked.
  static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1 }

  /// Asks one question; Enter alone (or the end of input) gives "".
  static func ask(_ question: String) -> String { read(question) ?? "" }

  /// Asks one question; nil at the end of input (Ctrl-D, a closed terminal).
  static func read(_ question: String) -> String? {
    FileHandle.standardError.write(Data((question + " ").utf8))
    return readLine(strippingNewline: true)
  }

  /// Asks until `check` accepts the answer, showing its complaint each time.
  static func ask<T>(_ question: String, check: (String) -> Result<T, any Error>) -> T {
    while true {
      switch check(ask(question)) {
      case .success(let value): return value
      case .failure(let error): say("  \(error)")
      }
    }
  }

  /// A yes/no question; Enter alone (or the end of input) gives `answer`, anything but a yes or a no is asked
  /// again.
  static func confirm(_ question: String, default answer: Bool) -> Bool {
    while true {
      let reply = ask(question + " " + String(answer ? .yesNoDefaultYes : .yesNoDefaultNo))
      if let meaning = yesOrNo(reply) { return meaning ?? answer }
      say(String(.answerYesOrNo))
    }
  }

  /// What a reply to a yes/no question means: `.some(nil)` for an empty reply, nil for neither yes nor no. A yes
  /// or a no is understood in every language the interface speaks (j, ja, y, yes; n, nej, no).
  static func yesOrNo(_ reply: String) -> Bool?? {
    let word = reply.trimmingCharacters(in: .whitespaces).lowercased()
    if word.isEmpty { return .some(nil) }
    func words(_ phrase: Phrase) -> [String] {
      Catalogue.all.flatMap { $0.text(phrase).split(separator: " ").map(String.init) }
    }
    if words(.yesWords).contains(word) { return true }
    if words(.noWords).contains(word) { return false }
    return nil
  }

  /// A line for the person, on stderr (stdout is for data).
  static func say(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }
}
