import EvidenceReport
import EvidenceVault
import Foundation

/// The step-by-step questions of `evidence add` on a terminal. Each answer is checked by the vault library
/// as it is given, so a mistake is put right at once rather than after all the typing.
enum GuidedEntry {
  static func ask(index: JournalIndex, timeZone: TimeZone) -> EntryInput {
    var input = EntryInput()
    let parser = WhenParser(timeZone: timeZone, now: DeviceClock.now)
    info("Answer each question and press Enter. Leave a question empty to skip it.")

    input.when = Prompt.ask("When did it happen? (e.g. 2026-11-28 22:30, yesterday 22:00, igår, 3 days ago)") { text in
      Result {
        _ = try parser.parse(text)
        return text
      }
    }
    input.approximate = Prompt.confirm("Is that time a guess?", default: false) ? true : nil
    input.location = Prompt.ask("Where did it happen?")
    info(
      "What was it? "
        + IncidentCategory.allCases.enumerated().map { "\($0.offset + 1) \(Labels.category($0.element))" }.joined(
          separator: ", "))
    input.categories = Prompt.ask("Numbers or names, separated by commas:") { text in
      Result {
        var names: [String] = []
        for item in split(text) {
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
      input.perpetrators = askPeople("Who did it? (names, separated by commas)", index: index)
      input.witnesses = askPeople("Who saw it?", index: index)
    }
    input.title = Prompt.ask("A few words that say what happened (a title):") { text in
      text.trimmingCharacters(in: .whitespaces).isEmpty
        ? .failure(CommandFailure(message: "A title is needed; a few words are enough.")) : .success(text)
    }
    input.narrative = Prompt.askText("What happened? Write it in your own words, as much as you remember.")
    input.injuries = Prompt.ask("Injuries, if any:")
    input.amounts = Prompt.ask("Money demanded or taken, if any (e.g. demanded:2500):") { text in
      Result {
        let items = split(text)
        for item in items { _ = try MoneyAmount(userText: item) }
        return items
      }
    }
    return input
  }

  private static func askPeople(_ question: String, index: JournalIndex) -> [String] {
    Prompt.ask(question) { text in
      Result {
        let names = split(text)
        for name in names { _ = try index.person(named: name) }
        return names
      }
    }
  }

  private static func split(_ text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  private static func info(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }
}
