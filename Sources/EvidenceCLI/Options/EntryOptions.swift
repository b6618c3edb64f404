import ArgumentParser
import EvidenceVault
import Foundation

/// The fields of an incident, shared by `add` and `amend`.
struct EntryOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "When it happened: \"2026-11-28 22:30\", 2026-11-28, 2026-11, 22:30, \"yesterday 22:00\", \"igår 22:00\", \"3 days ago\".",
      valueName: "date"))
  var when: String?

  @Option(
    name: .long,
    help: ArgumentHelp("When it ended, if it went on for a while (same forms as --when).", valueName: "date"))
  var ended: String?

  @Flag(name: .long, help: "The time is a guess.")
  var approx = false

  @Option(name: .customLong("where"), help: ArgumentHelp("Where it happened.", valueName: "place"))
  var location: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "What it was (repeat for several): \(IncidentCategory.allCases.map(\.rawValue).joined(separator: ", ")).",
      valueName: "category"))
  var category: [String] = []

  @Option(name: .long, help: ArgumentHelp("A few words that say what happened.", valueName: "text"))
  var title: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "A known person who did it, by name or alias (repeatable). Add people first with `evidence person add`.",
      valueName: "name"))
  var person: [String] = []

  @Option(name: .long, help: ArgumentHelp("A known person who saw it (repeatable).", valueName: "name"))
  var witness: [String] = []

  @Option(name: .long, help: ArgumentHelp("Another known person who was involved (repeatable).", valueName: "name"))
  var involved: [String] = []

  @Option(
    name: .long, help: ArgumentHelp("Read what happened from this file, or - for standard input.", valueName: "file"))
  var narrativeFile: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "What happened, as text. Avoid this: the text stays in your shell history. Prefer --narrative-file or the guided prompts.",
      valueName: "text"))
  var narrative: String?

  @Option(name: .long, help: ArgumentHelp("Injuries, if any.", valueName: "text"))
  var injuries: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Money demanded, paid, withheld or taken, like demanded:2500 or paid:300 EUR (repeatable).",
      valueName: "kind:amount"))
  var amount: [String] = []

  @Option(name: .long, help: ArgumentHelp("The police's case number, if you have reported it.", valueName: "ref"))
  var policeRef: String?

  @Option(
    name: .long, help: ArgumentHelp("A word of your own to find entries by later (repeatable).", valueName: "tag"))
  var tag: [String] = []

  @Option(
    name: .long,
    help: ArgumentHelp("A photo, screenshot, recording or document to keep with it (repeatable).", valueName: "file"))
  var attach: [String] = []

  func validate() throws {
    if narrative != nil && narrativeFile != nil {
      throw ValidationError("Give the narrative either with --narrative-file or with --narrative, not both.")
    }
  }

  /// True when any field was given on the command line.
  var givesAnything: Bool {
    when != nil || ended != nil || approx || location != nil || !category.isEmpty || title != nil || !person.isEmpty
      || !witness.isEmpty || !involved.isEmpty || narrativeFile != nil || narrative != nil || injuries != nil
      || !amount.isEmpty || policeRef != nil || !tag.isEmpty || !attach.isEmpty
  }

  /// The options as input for the vault library; reads the narrative file or standard input.
  func input() throws -> EntryInput {
    var input = EntryInput()
    input.when = when
    input.ended = ended
    input.approximate = approx ? true : nil
    input.location = location
    input.categories = category
    input.title = title
    input.perpetrators = person
    input.witnesses = witness
    input.others = involved
    input.injuries = injuries
    input.amounts = amount
    input.policeReference = policeRef
    input.tags = tag
    if let narrative {
      Diagnostics.warning(
        "--narrative puts your text in the shell history and the process list; --narrative-file or the guided prompts do not."
      )
      input.narrative = narrative
    } else if let narrativeFile {
      input.narrative = try Self.readText(narrativeFile)
    }
    return input
  }

  /// Reads a UTF-8 text file, or standard input for "-".
  static func readText(_ path: String) throws -> String {
    let data: Data
    if path == "-" {
      data = FileHandle.standardInput.readDataToEndOfFile()
    } else {
      guard let contents = FileManager.default.contents(atPath: path) else {
        throw CommandFailure(
          message: "Could not read \(path).", hint: "Check the file name, or use - to read standard input.")
      }
      data = contents
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw CommandFailure(
        message: "\(path == "-" ? "Standard input" : path) is not UTF-8 text.",
        hint: "Save it as UTF-8 (plain text) and try again.")
    }
    return text
  }
}
