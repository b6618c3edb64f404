import EvidenceReport
import EvidenceVault
import Foundation

/// The step-by-step questions of `evidence add` on a terminal. Each answer is checked by the vault library
/// as it is given, so a mistake is put right at once rather than after all the typing.
///
/// Every answer (and every line of the account as it is written) is handed to `keep`, which seals it into the
/// inbox as a draft: Ctrl-C or a closed terminal loses nothing. A resumed draft's answers are offered again:
/// Enter keeps each one.
struct GuidedEntry {
  /// What has been typed so far, under the question names of `Draft.answers`.
  private(set) var answers: [String: String]
  private let keep: ([String: String]) -> Void

  init(resuming answers: [String: String] = [:], keep: @escaping ([String: String]) -> Void) {
    self.answers = answers
    self.keep = keep
  }

  mutating func ask(index: JournalIndex, timeZone: TimeZone) -> EntryInput {
    var input = EntryInput()
    let parser = WhenParser(timeZone: timeZone, now: DeviceClock.now)
    if answers.isEmpty {
      info("Answer each question and press Enter. Leave a question empty to skip it.")
    } else {
      info("Your earlier answers are shown in [brackets]: press Enter to keep one, or type a new answer.")
    }

    input.when = ask("when", "When did it happen? (e.g. 2026-11-28 22:30, yesterday 22:00, igår, 3 days ago)") {
      text in
      Result {
        _ = try parser.parse(text)
        return text
      }
    }
    let guess = ask("approximate", "Is that time a guess? [y/N]") { text in
      Result { () throws(CommandFailure) in
        let reply = text.lowercased()
        if reply.isEmpty || ["n", "no", "nej"].contains(reply) { return false }
        if ["y", "yes", "j", "ja"].contains(reply) { return true }
        throw CommandFailure(message: "Answer y (yes) or n (no).")
      }
    }
    input.approximate = guess ? true : nil
    input.location = ask("location", "Where did it happen?")
    info(
      "What was it? "
        + IncidentCategory.allCases.enumerated().map { "\($0.offset + 1) \(Labels.category($0.element))" }.joined(
          separator: ", "))
    input.categories = ask("categories", "Numbers or names, separated by commas:") { text in
      Result {
        var names: [String] = []
        for item in Self.split(text) {
          if let number = Int(item), number >= 1, number <= IncidentCategory.allCases.count {
            names.append(IncidentCategory.allCases[number - 1].rawValue)
          } else {
            names.append(try IncidentCategory(userText: item).rawValue)
          }
        }
        return names
      }
    }
    if !index.people.isEmpty {
      info("People in your journal: " + index.people.map(\.name).joined(separator: ", "))
      input.perpetrators = askPeople("perpetrators", "Who did it? (names, separated by commas)", index: index)
      input.witnesses = askPeople("witnesses", "Who saw it?", index: index)
    }
    input.title = ask("title", "A few words that say what happened (a title):") { text in
      text.trimmingCharacters(in: .whitespaces).isEmpty
        ? .failure(CommandFailure(message: "A title is needed; a few words are enough.")) : .success(text)
    }
    input.narrative = askNarrative()
    input.injuries = ask("injuries", "Injuries, if any:")
    input.amounts = ask("amounts", "Money demanded or taken, if any (e.g. demanded:2500):") { text in
      Result {
        let items = Self.split(text)
        for item in items { _ = try MoneyAmount(userText: item) }
        return items
      }
    }
    return input
  }

  /// One question; an earlier answer is shown and kept on Enter. Every accepted answer is kept as the draft.
  private mutating func ask<T>(_ name: String, _ question: String, check: (String) -> Result<T, any Error>) -> T {
    let earlier = answers[name]
    let shown = earlier.flatMap { $0.isEmpty ? nil : "\(question) [\(TerminalSafeText.line($0))]" } ?? question
    while true {
      var text = Prompt.ask(shown)
      if text.isEmpty, let earlier { text = earlier }
      switch check(text) {
      case .success(let value):
        answers[name] = text
        keep(answers)
        return value
      case .failure(let error): FileHandle.standardError.write(Data(("  \(error)\n").utf8))
      }
    }
  }

  private mutating func ask(_ name: String, _ question: String) -> String? {
    let text: String = ask(name, question) { .success($0) }
    return text.isEmpty ? nil : text
  }

  private mutating func askPeople(_ name: String, _ question: String, index: JournalIndex) -> [String] {
    ask(name, question) { text in
      Result {
        let names = Self.split(text)
        for name in names { _ = try index.person(named: name) }
        return names
      }
    }
  }

  /// The account, line by line; each line is kept as it is written. An earlier account is shown and can be
  /// continued.
  private mutating func askNarrative() -> String {
    var lines = answers["narrative"].map { $0.components(separatedBy: "\n") } ?? []
    if lines.isEmpty {
      info("What happened? Write it in your own words, as much as you remember.")
    } else {
      info("What you wrote before:")
      for line in lines { info("  " + TerminalSafeText.line(line)) }
      info("Go on writing where you stopped.")
    }
    info("  (end with a line containing only a dot, or Ctrl-D)")
    while let line = readLine(strippingNewline: true), line != "." {
      lines.append(line)
      answers["narrative"] = lines.joined(separator: "\n")
      keep(answers)
    }
    return lines.joined(separator: "\n")
  }

  /// The answers written out as one text, for keeping a draft as a quick note.
  static func noteText(of answers: [String: String]) -> String {
    var parts: [String] = []
    if let title = answers["title"], !title.isEmpty { parts.append(title) }
    if let narrative = answers["narrative"], !narrative.isEmpty { parts.append(narrative) }
    let labelled = [
      ("when", "When"), ("location", "Where"), ("categories", "What"), ("perpetrators", "Who did it"),
      ("witnesses", "Who saw it"), ("injuries", "Injuries"), ("amounts", "Money"),
    ]
    let facts = labelled.compactMap { name, label in
      answers[name].flatMap { $0.isEmpty ? nil : "\(label): \($0)" }
    }
    if !facts.isEmpty { parts.append(facts.joined(separator: "\n")) }
    return parts.joined(separator: "\n\n")
  }

  private static func split(_ text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  private func info(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }
}
