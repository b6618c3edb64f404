import EvidenceCatalogue
import EvidenceReport
import Foundation

/// Asking one question after another on a terminal, for the guided commands: an earlier answer is shown in
/// [brackets] and kept on Enter, `?` explains the question, `<` goes back one, and a wrong answer is said and the
/// question asked again. Every accepted answer is handed to `keep` (a draft), so nothing typed is lost.
struct Questions {
  /// What has been typed so far, by question name (the names of `Draft.answers`).
  private(set) var answers: [String: String]
  private let keeper: ([String: String]) -> Void

  init(answers: [String: String], keep: @escaping ([String: String]) -> Void) {
    self.answers = answers
    keeper = keep
  }

  /// Records one answer and keeps the draft.
  mutating func keep(_ name: String, _ text: String) {
    answers[name] = text
    keeper(answers)
  }

  /// Asks `question`; `check` turns the text into the answer or complains.
  mutating func ask<T>(
    _ name: String, _ question: Phrase, _ values: [String: String] = [:], explain: Phrase,
    check: (String) throws(Complaint) -> T
  ) -> Reply<T> {
    let earlier = answers[name]
    let asked = String(question, values)
    let shown = earlier.flatMap { $0.isEmpty ? nil : "\(asked) [\(TerminalSafeText.line($0))]" } ?? asked
    while true {
      var text = Prompt.ask(shown).trimmingCharacters(in: .whitespaces)
      if text == "?" {
        Prompt.say(String(explain))
        continue
      }
      if text == "<" { return .back }
      if text.isEmpty, let earlier { text = earlier }
      do throws(Complaint) {
        let value = try check(text)
        keep(name, text)
        return .answer(value)
      } catch {
        Prompt.say("  \(error.description)")
      }
    }
  }
}

/// What the person did at a question: answered it, or asked to go back.
enum Reply<T> {
  case answer(T)
  case back

  /// Hands an answer to `use`; true when the person asked to go back instead.
  func then(_ use: (T) -> Void) -> Bool {
    switch self {
    case .answer(let value):
      use(value)
      return false
    case .back: return true
    }
  }
}

/// A wrong answer, said in the person's language; the question is asked again.
struct Complaint: Error, CustomStringConvertible {
  let description: String
  init(_ text: String) { description = text }
}
