import ArgumentParser
import EvidenceCatalogue
import EvidenceReport
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: String(.abstractList))

    @OptionGroup var vaultOptions: VaultOptions

    @Option(
      name: .long, help: ArgumentHelp("Only incidents from this date on (same forms as add --when).", valueName: "date")
    )
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Only incidents up to and including this date.", valueName: "date"))
    var to: String?

    @Option(name: .long, help: ArgumentHelp("Only this category.", valueName: "category"))
    var category: String?

    @Option(name: .long, help: ArgumentHelp("Only entries with this tag.", valueName: "tag"))
    var tag: String?

    @Option(name: .long, help: ArgumentHelp("Only incidents involving this person (name or alias).", valueName: "name"))
    var person: String?

    @Option(
      name: .long, help: ArgumentHelp("Only entries whose text contains this (ignoring case).", valueName: "text"))
    var contains: String?

    @Flag(name: .long, help: "Print JSON (Schemas/entry-list.schema.json) instead of text.")
    var json = false

    func run() throws {
      let timeZone = PersonalTimeZone.resolve()
      var filter = try EntryFilter(fromText: from, toText: to, timeZone: timeZone, now: DeviceClock.now)
      filter.category = try category.map { try IncidentCategory(userText: $0) }
      filter.tag = tag
      filter.contains = contains
      let vault = try vaultOptions.openVault()
      let index = vault.index
      filter.personId = try person.map { try index.person(named: $0).stamp.id }
      let entries = index.entries(matching: filter)
      if json {
        print(JSONOutput.entryList(entries))
      } else if entries.isEmpty {
        print(
          index.entries.isEmpty
            ? "The journal has no entries yet. Write one with `\(ProgramName.current) add`." : "No entries match."
        )
      } else {
        for history in entries { print(EntryText.listLine(history)) }
      }
    }
  }
}
